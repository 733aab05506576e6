"""Who the bot is: its bot id and user id, from one auth.test per instance.

Nothing in a thread is trusted before this is known (thread.py trusts only messages with this
bot id). When auth.test fails, Slack is unreachable or refusing; that is Slack's fault, never the
caller's, so the request fails with SlackUnavailable and failures.py answers it as it answers
any Slack outage (an event 5xx, a command or a click an apology).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from slack_bolt.authorization import AuthorizeResult
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError


class SlackUnavailable(Exception):
    """auth.test failed: Slack could not say who the bot is, so nothing can be done yet."""


class BotIdentity:
    """The answer to auth.test, asked once per instance and kept; a failure is not kept, so the
    next request asks again."""

    def __init__(self, bot_token: str) -> None:
        self._bot_token = bot_token
        self._result: AuthorizeResult | None = None
        self._lock = threading.Lock()

    def of(self, client: WebClient) -> AuthorizeResult:
        """Who the bot is, asking `client` (the request's) the first time."""
        with self._lock:
            if self._result is None:
                self._result = self._ask(client)
            return self._result

    def _ask(self, client: WebClient) -> AuthorizeResult:
        try:
            response = client.auth_test(token=self._bot_token)
        except (SlackApiError, OSError) as error:  # OSError: URLError, timeouts, refusals
            raise SlackUnavailable(type(error).__name__) from error
        return AuthorizeResult.from_auth_test_response(
            bot_token=self._bot_token, auth_test_response=response
        )


def authorizer(bot_token: str) -> Callable[[WebClient], AuthorizeResult]:
    """For `App(authorize=...)`: Bolt passes the request's client by the parameter's name."""
    identity = BotIdentity(bot_token)

    def authorize(client: WebClient) -> AuthorizeResult:
        return identity.of(client)

    return authorize
