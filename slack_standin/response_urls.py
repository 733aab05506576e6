"""response_url hooks: what Bolt's ``respond()`` posts to.

Slack's rules that the bot must live with: at most five uses per URL, ephemeral unless the
payload says ``in_channel``, and no channel membership needed. The bot never replaces or
deletes the original message through a hook, so the stand-in refuses to rather than pretend.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from .args import Args
from .conversations import Conversations
from .errors import SlackError
from .links import Links
from .messages import bot_message, read_content

MAX_USES = 5
NOT_IMITATED = ("replace_original", "delete_original")


@dataclass
class ResponseUrl:
    channel_id: str
    user: str
    uses: int = 0


class ResponseUrls:
    def __init__(
        self, links: Links, conversations: Conversations, rejected_block_types: Collection[str]
    ) -> None:
        self._links = links
        self._conversations = conversations
        self._rejected_block_types = rejected_block_types
        self._urls: dict[str, ResponseUrl] = {}

    def new(self, channel_id: str, user: str) -> str:
        self._conversations.channel(channel_id)  # fail early on a typo in a test
        token = secrets.token_urlsafe(12)
        self._urls[token] = ResponseUrl(channel_id, user)
        return self._links.response(token)

    def deliver(self, token: str, payload: Any) -> tuple[int, str]:
        """Apply one POST to a hook; returns the HTTP status and body Slack's hooks answer."""
        hook = self._urls.get(token)
        if hook is None:
            return 404, "no_service"
        if hook.uses >= MAX_USES:
            return 404, "used_url"
        if not isinstance(payload, dict):
            return 400, "invalid_payload"
        try:
            self._post(hook, Args(payload))
        except SlackError as exc:
            return 400, exc.error
        hook.uses += 1
        return 200, "ok"

    def clear(self) -> None:
        self._urls.clear()

    def _post(self, hook: ResponseUrl, payload: Args) -> None:
        if any(payload.flag(name) for name in NOT_IMITATED):
            raise SlackError("not_imitated_by_the_standin")
        channel = self._conversations.channel(hook.channel_id)
        message = bot_message(read_content(payload, self._rejected_block_types))
        if payload.get("response_type") == "in_channel":
            self._conversations.post(channel, message)
        else:
            self._conversations.post_ephemeral(channel, message, hook.user)
