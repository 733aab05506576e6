"""`sysbot dev`: the same Bolt app as on Cloud Functions, served over Socket Mode.

Socket Mode needs no public URL, so a developer can run the bot on a laptop against a separate
development app (created from `sysbot manifest --socket-mode`). Bolt skips request signature
checks for Socket Mode requests, so no signing secret is needed here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk.errors import SlackApiError

from bot.logs import configure_logging
from bot.settings import Settings
from bot.slack.app import build_app

APP_TOKEN = "SLACK_APP_TOKEN"
BOT_TOKEN = "SLACK_BOT_TOKEN"

CREATE_DEV_APP = (
    "Create the development app first: sysbot manifest --socket-mode, then paste the output "
    "into https://api.slack.com/apps > Create New App > From a manifest."
)
WHERE = {
    APP_TOKEN: (
        "an app-level token starting with xapp-: in the development app's settings, "
        "Basic Information > App-Level Tokens > Generate Token and Scopes, "
        "with the connections:write scope"
    ),
    BOT_TOKEN: (
        "the bot token starting with xoxb-: in the development app's settings, "
        "OAuth & Permissions > Install to Workspace, then copy the Bot User OAuth Token"
    ),
}
PREFIX = {APP_TOKEN: "xapp-", BOT_TOKEN: "xoxb-"}


class DevSetupError(Exception):
    """A token is missing or is not the kind Socket Mode needs; the message says how to fix it."""


def tokens_from_env(environ: Mapping[str, str]) -> tuple[str, str]:
    """(app token, bot token) from the environment, checked for shape before any network use."""
    return _token(environ, APP_TOKEN), _token(environ, BOT_TOKEN)


def build_socket_mode_handler(app_token: str, settings: Settings) -> SocketModeHandler:
    """The handler for build_app()'s app; nothing connects until .connect() or .start()."""
    return SocketModeHandler(build_app(settings), app_token)


def serve_socket_mode(app_token: str, settings: Settings) -> None:
    """Connect and block until Ctrl-C; a token Slack refuses raises DevSetupError."""
    configure_logging(settings.log_level)
    handler = build_socket_mode_handler(app_token, settings)
    try:
        # Production defers auth.test to the first request; here a bad token should fail now.
        _check(handler.app.client.auth_test, BOT_TOKEN)
        _check(handler.start, APP_TOKEN)
    except KeyboardInterrupt:
        pass
    finally:
        handler.close()


def _check(call: Callable[[], object], name: str) -> None:
    try:
        call()
    except SlackApiError as error:
        raise DevSetupError(
            f"Slack refused {name} ({error.response.get('error')}). It must be {WHERE[name]}."
        ) from error
    except OSError as error:  # URLError and refused connections
        raise DevSetupError(f"could not reach Slack: {error}") from error


def _token(environ: Mapping[str, str], name: str) -> str:
    value = environ.get(name, "").strip()
    if not value:
        raise DevSetupError(f"{name} is not set. It must be {WHERE[name]}.\n{CREATE_DEV_APP}")
    if not value.startswith(PREFIX[name]):
        # Never echo the value: it may be a real secret pasted into the wrong variable.
        raise DevSetupError(
            f"{name} does not look right: it should start with {PREFIX[name]} but starts with "
            f"{_shape(value)}. It must be {WHERE[name]}."
        )
    return value


def _shape(value: str) -> str:
    head = value.split("-", 1)[0]
    return f"{head}-" if "-" in value and len(head) <= 5 else "something else"
