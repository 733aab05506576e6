"""Slack's refusals as slack_sdk raises them, for tests that call the bot's code directly."""

from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse


def slack_api_error(code: str, status: int = 200) -> SlackApiError:
    """What the Web API client raises when Slack answers `{"ok": false, "error": code}`."""
    response = SlackResponse(
        client=None,
        http_verb="POST",
        api_url="chat.postMessage",
        req_args={},
        data={"ok": False, "error": code},
        headers={},
        status_code=status,
    )
    return SlackApiError(code, response)
