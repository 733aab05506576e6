"""response_url hooks: what Bolt's ``respond()`` and slack_sdk's WebhookClient post to.

Slack's rules that the bot must live with: at most five uses per URL, ephemeral unless the
payload says ``in_channel``, no channel membership needed, and ``replace_original`` /
``delete_original`` act on the message the interaction came from. A slash command has no such
message; there the stand-in replaces what the same URL posted last (the "working..." reply).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from .args import Args
from .conversations import Channel, Conversations
from .errors import SlackError
from .links import Links
from .messages import ContentRules, MessageContent, bot_message, read_content

MAX_USES = 5


@dataclass
class ResponseUrl:
    channel_id: str
    user: str
    message_ts: str | None = None  # the message an interaction came from, if any
    uses: int = 0
    last_posted_ts: str | None = None
    last_posted_ephemeral: bool = False


class ResponseUrls:
    def __init__(self, links: Links, conversations: Conversations, rules: ContentRules) -> None:
        self._links = links
        self._conversations = conversations
        self._rules = rules
        self._urls: dict[str, ResponseUrl] = {}

    def new(self, channel_id: str, user: str, message_ts: str | None = None) -> str:
        self._conversations.channel(channel_id)  # fail early on a typo in a test
        token = secrets.token_urlsafe(12)
        self._urls[token] = ResponseUrl(channel_id, user, message_ts)
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
            self._apply(hook, Args(payload))
        except SlackError as exc:
            return (404 if exc.error == "message_not_found" else 400), exc.error
        hook.uses += 1
        return 200, "ok"

    def clear(self) -> None:
        self._urls.clear()

    def _apply(self, hook: ResponseUrl, payload: Args) -> None:
        channel = self._conversations.channel(hook.channel_id)
        if payload.flag("delete_original"):
            self._delete_original(hook, channel)
            return
        content = read_content(payload, self._rules)
        if payload.flag("replace_original") and self._target(hook):
            self._replace_original(hook, channel, content)
            return
        thread_ts = payload.optional_string("thread_ts")
        if payload.get("response_type") == "in_channel":
            posted = self._conversations.post(channel, bot_message(content), thread_ts)
        else:
            posted = self._conversations.post_ephemeral(
                channel, bot_message(content), hook.user, thread_ts
            )
        hook.last_posted_ts = posted["ts"]
        hook.last_posted_ephemeral = "recipient" in posted

    def _target(self, hook: ResponseUrl) -> tuple[str, bool] | None:
        """(ts, is_ephemeral) of the message replace/delete acts on, if there is one."""
        if hook.message_ts:
            return hook.message_ts, False
        if hook.last_posted_ts:
            return hook.last_posted_ts, hook.last_posted_ephemeral
        return None

    def _find(self, hook: ResponseUrl, channel: Channel) -> tuple[dict[str, Any], bool]:
        target = self._target(hook)
        if target is None:
            raise SlackError("message_not_found")
        ts, ephemeral = target
        if not ephemeral and ts in channel.messages:
            return channel.messages[ts], False
        # An interaction may come from an ephemeral message; those are replaceable too.
        return self._conversations.ephemeral(channel, ts), True

    def _replace_original(
        self, hook: ResponseUrl, channel: Channel, content: MessageContent
    ) -> None:
        message, _ = self._find(hook, channel)
        for key in ("text", "blocks", "attachments", "metadata"):
            message.pop(key, None)
        message.update(content.fields())

    def _delete_original(self, hook: ResponseUrl, channel: Channel) -> None:
        message, ephemeral = self._find(hook, channel)
        ts = message["ts"]
        if ephemeral:
            self._conversations.delete_ephemeral(channel, ts)
        else:
            self._conversations.delete(channel, ts)
        if hook.last_posted_ts == ts:
            hook.last_posted_ts = None
