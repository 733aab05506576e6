"""The local server: a Slack-like page driven by the real bot, and the JSON API, on 127.0.0.1.

One process holds everything a newcomer needs:

    GET  /                      the page (local_workspace/static/)
    POST /api/run               the JSON API, as the run_model function serves it
    POST /slack/events          the Slack handler, as the slack_events function serves it
    GET  /local/state           the stand-in's workspace, plus what only the page shows
    POST /local/<action>        the page's actions, sent on as signed Slack requests
    GET  /local/files/<id>/<n>  files the bot uploaded

The bot's Web API calls go to a SlackStandIn on its own loopback port.
"""

from __future__ import annotations

import errno
import ipaddress
import json
import mimetypes
import os
import secrets
import socket
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from flask import Flask, Response, jsonify, request, send_from_directory
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from bot.entrypoints import Entrypoints
from bot.settings import Settings
from local_workspace.session import ActionError, PageSession, add_page_channels
from slack_standin import SlackStandIn

STATIC = Path(__file__).parent / "static"
EXAMPLE = {"definition": "[Candidates] > Screens @ 5\nScreens > Hires @ 0.5", "rounds": 5}
# Not logged here: the page polling for state and its files, and the bot's own requests, for
# which the bot writes its one JSON line itself.
QUIET_PATHS = ("/local/state", "/static/", "/favicon", "/slack/events", "/api/run")
# Some systems map .js to text/plain, and browsers refuse to run such a module script.
mimetypes.add_type("text/javascript", ".js")


def create_app(entrypoints: Entrypoints, session: PageSession) -> Flask:
    """The page, the JSON API and the Slack handler, and the routes of the page's actions."""
    app = Flask("sysbot-local", static_folder=None)
    app.add_url_rule(
        "/api/run",
        "api",
        lambda: entrypoints.api(request),
        methods=["POST", "OPTIONS", "GET", "PUT", "DELETE"],
    )
    _add_page_routes(app, entrypoints)
    _add_session_routes(app, session)
    return app


def _add_page_routes(app: Flask, entrypoints: Entrypoints) -> None:
    app.add_url_rule("/", "page", lambda: send_from_directory(STATIC, "index.html"))
    app.add_url_rule(
        "/static/<path:name>", "static_file", lambda name: send_from_directory(STATIC, name)
    )
    app.add_url_rule(
        "/slack/events", "slack_events", lambda: entrypoints.slack(request), methods=["POST"]
    )


# name: (required text fields, what to do); each POST /local/<name> takes a JSON object.
Action = tuple[tuple[str, ...], Callable[[PageSession, dict], Any]]
ACTIONS: dict[str, Action] = {
    "command": (("channel", "text"), lambda s, b: s.command(b["channel"], b["text"])),
    "message": (
        ("channel", "text"),
        lambda s, b: s.message(b["channel"], b["text"], b.get("thread_ts") or None),
    ),
    "edit": (("channel", "ts", "text"), lambda s, b: s.edit(b["channel"], b["ts"], b["text"])),
    "click": (
        ("channel", "ts", "action_id"),
        lambda s, b: s.click(b["channel"], b["ts"], b["action_id"], bool(b.get("ephemeral"))),
    ),
    "run_as_model": (("channel", "ts"), lambda s, b: s.run_as_model(b["channel"], b["ts"])),
    "new_model": ((), lambda s, b: s.new_model()),
    "submit": (("view_id",), lambda s, b: s.submit(b["view_id"], _values(b.get("values")))),
    "close": (("view_id",), lambda s, b: s.close_view(b["view_id"])),
    "home": ((), lambda s, b: s.open_home()),
    "reset": ((), lambda s, b: s.reset()),
}


def _add_session_routes(app: Flask, session: PageSession) -> None:
    for name, (fields, action) in ACTIONS.items():
        route = _action_route(session, fields, action)
        app.add_url_rule(f"/local/{name}", f"local_{name}", route, methods=["POST"])
    app.add_url_rule("/local/state", "local_state", lambda: jsonify(session.state()))
    app.add_url_rule(
        "/local/files/<file_id>/<path:name>",
        "local_file",
        lambda file_id, name: _file(session, file_id),
    )
    app.before_request(_only_this_machine)


def _action_route(
    session: PageSession,
    fields: tuple[str, ...],
    action: Callable[[PageSession, dict], Any],
) -> Callable[[], Response]:
    def route() -> Response:
        # JSON only: a form on another site cannot send application/json without a CORS
        # preflight, which this server never grants.
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return _problem("Send a JSON object.", 400)
        missing = [f for f in fields if not isinstance(body.get(f), str)]
        if missing:
            return _problem(f"Send {', '.join(missing)} as text.", 400)
        try:
            outcome = action(session, body)
        except ActionError as error:
            return _problem(str(error), 409)
        return jsonify(outcome.as_json() if outcome is not None else {"ok": True})

    return route


def _values(values: Any) -> dict[str, dict[str, str | None]]:
    """The modal's inputs as {block_id: {action_id: text}}; anything else is dropped."""
    if not isinstance(values, dict):
        return {}
    return {
        str(block): {str(k): v for k, v in fields.items() if v is None or isinstance(v, str)}
        for block, fields in values.items()
        if isinstance(fields, dict)
    }


def _only_this_machine() -> Response | None:
    """Refuse requests addressed to another host name: a web page that rebinds its own name to
    127.0.0.1 must not reach the page's actions (DNS rebinding)."""
    host = (request.host or "").rsplit(":", 1)[0].strip("[]")
    if host in ("127.0.0.1", "localhost", "::1"):
        return None
    return _problem("This server only answers requests for 127.0.0.1 or localhost.", 421)


def _file(session: PageSession, file_id: str) -> Response:
    try:
        content, mimetype, filename = session.file(file_id)
    except KeyError:
        return Response("No such file.", 404, mimetype="text/plain")
    response = Response(content, mimetype=mimetype)
    if "download" in request.args:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _problem(message: str, status: int) -> Response:
    response = jsonify({"ok": False, "error": message})
    response.status_code = status
    return response


# -- running it --------------------------------------------------------------------------------


class _QuietHandler(WSGIRequestHandler):
    """One line per request: the page's actions are logged here, the bot's by the bot."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if not self.path.startswith(QUIET_PATHS):
            super().log_request(code, size)


def start_local_server(
    host: str = "127.0.0.1", port: int = 8080, settings: Settings | None = None
) -> tuple[BaseWSGIServer, SlackStandIn]:
    """Start the stand-in and bind the page's server; the caller runs ``serve_forever()``.

    Returns (server, stand-in). The bot gets `settings` (its limits, say) with Slack's token,
    signing secret and API URL pointing at the stand-in. PortInUse when the port is taken.
    """
    if not _is_loopback(host):
        raise ValueError(f"the local server only listens on this machine, not on {host}")
    signing_secret = secrets.token_hex(16)
    standin = SlackStandIn(bot_token=f"xoxb-local-{secrets.token_hex(8)}").start()
    add_page_channels(standin)
    bot_settings = replace(
        settings or Settings(),
        slack_bot_token=standin.bot_token,
        slack_signing_secret=signing_secret,
        slack_api_url=standin.api_url,
    )
    session = PageSession(standin, signing_secret)
    try:
        with _listening_socket(host, port) as listening:
            server = make_server(
                host,
                port,
                create_app(Entrypoints(bot_settings), session),
                threaded=True,  # the bot calls back into this server while a page request waits
                request_handler=_QuietHandler,
                fd=listening.fileno(),  # werkzeug takes a copy
            )
    except BaseException:
        standin.stop()
        raise
    session.bot_url = f"http://{_url_host(host)}:{server.port}/slack/events"
    return server, standin


class PortInUse(Exception):
    """Another program listens on the port asked for."""

    def __init__(self, port: int) -> None:
        super().__init__(
            f"port {port} is in use by another program; `sysbot serve --port 0` picks a free one"
        )


def _listening_socket(host: str, port: int) -> socket.socket:
    """Bound here rather than by werkzeug, which exits the process when the port is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise PortInUse(port) from None
        raise


def serve(host: str, port: int, settings: Settings) -> None:
    # Bolt reads SLACK_BOT_TOKEN from the environment itself and, given the bot's own client
    # as well, logs that it won't use it. Here the bot uses the stand-in's token, so a token in
    # the developer's shell is dropped from this process: never used, never warned about.
    os.environ.pop("SLACK_BOT_TOKEN", None)
    try:
        server, standin = start_local_server(host, port, settings)
    except (ValueError, PortInUse, OSError) as error:
        print(f"sysbot serve: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    address = f"http://{_url_host(host)}:{server.port}/"
    print(f"sysbot is running at {address}\n")
    print(f"  Open {address} for a Slack-like channel driven by the real bot,")
    print("  and its API tab for the JSON API. Or call the API directly:\n")
    print(
        f"  curl -s {address}api/run -H 'content-type: application/json' \\\n"
        f"       -d '{json.dumps(EXAMPLE)}'\n",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        standin.stop()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
