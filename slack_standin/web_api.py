"""The Web API methods the bot calls, each turning arguments into Slack's answer.

Argument names, error names and answer shapes follow Slack's method reference so that code
tested here behaves the same against the real API. Methods and arguments the bot does not use
are not imitated: an unknown method answers ``unknown_method``. Not thread-safe by itself.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Collection
from decimal import Decimal, InvalidOperation
from typing import Any

from .args import Args
from .conversations import Channel, Conversations
from .errors import SlackError
from .files import FileStore, file_summary
from .functions import Functions
from .identity import BOT_ID, BOT_NAME, BOT_USER_ID, TEAM_DOMAIN, TEAM_ID
from .messages import MessageContent, bot_message, read_content, with_metadata_visibility
from .views import ViewStore

MAX_PAGE = 1000
CURSOR_PREFIX = "next_ts:"

Method = Callable[[Args], dict[str, Any]]


class WebApi:
    def __init__(
        self,
        conversations: Conversations,
        views: ViewStore,
        files: FileStore,
        rejected_block_types: Collection[str],
        functions: Functions,
    ) -> None:
        self._conversations = conversations
        self._views = views
        self._files = files
        self._functions = functions
        self._rejected_block_types = rejected_block_types
        # Apps distributed outside the Marketplace get pages of at most 15 replies.
        self.replies_page_limit = MAX_PAGE
        self._methods: dict[str, Method] = {
            "auth.test": self.auth_test,
            "chat.postMessage": self.chat_post_message,
            "chat.update": self.chat_update,
            "chat.delete": self.chat_delete,
            "chat.getPermalink": self.chat_get_permalink,
            "conversations.history": self.conversations_history,
            "conversations.replies": self.conversations_replies,
            "views.open": self.views_open,
            "views.publish": self.views_publish,
            "files.getUploadURLExternal": self.files_get_upload_url_external,
            "files.completeUploadExternal": self.files_complete_upload_external,
        }

    def call(self, method: str, args: Args, token: str = "") -> dict[str, Any]:
        """Slack's successful answer for ``method``, called with ``token``; failures raise
        SlackError."""
        if method == "functions.completeSuccess":
            self._functions.complete_success(token, args)
            return {"ok": True}
        if method == "functions.completeError":
            self._functions.complete_error(token, args)
            return {"ok": True}
        handler = self._methods.get(method)
        if handler is None:
            raise SlackError("unknown_method")
        return {"ok": True, **handler(args)}

    # -- auth ----------------------------------------------------------------------------------

    def auth_test(self, args: Args) -> dict[str, Any]:
        return {
            "url": f"https://{TEAM_DOMAIN}.slack.com/",
            "team": "sysbot stand-in",
            "user": BOT_NAME,
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    # -- chat ----------------------------------------------------------------------------------

    def chat_post_message(self, args: Args) -> dict[str, Any]:
        channel = self._conversations.channel_for_bot(args.optional_string("channel"))
        content = read_content(args, self._rejected_block_types)
        message = self._conversations.post(
            channel, bot_message(content), thread_ts=args.optional_string("thread_ts")
        )
        return {"channel": channel.id, "ts": message["ts"], "message": message}

    def chat_update(self, args: Args) -> dict[str, Any]:
        channel = self._conversations.channel(args.optional_string("channel"))
        message = self._conversations.message(channel, args.optional_string("ts"))
        if message.get("bot_id") != BOT_ID:
            raise SlackError("cant_update_message")
        content = read_content(args, self._rejected_block_types)
        # Like Slack: blocks and metadata left out of the call are kept.
        self._conversations.edit(message, content.fields(), BOT_USER_ID)
        return {
            "channel": channel.id,
            "ts": message["ts"],
            "text": message["text"],
            "message": message,
        }

    def chat_delete(self, args: Args) -> dict[str, Any]:
        channel = self._conversations.channel(args.optional_string("channel"))
        message = self._conversations.message(channel, args.optional_string("ts"))
        if message.get("bot_id") != BOT_ID:
            raise SlackError("cant_delete_message")
        self._conversations.delete(channel, message["ts"])
        return {"channel": channel.id, "ts": message["ts"]}

    def chat_get_permalink(self, args: Args) -> dict[str, Any]:
        channel = self._conversations.channel(args.optional_string("channel"))
        message = self._conversations.message(channel, args.optional_string("message_ts"))
        digits = message["ts"].replace(".", "")
        link = f"https://{TEAM_DOMAIN}.slack.com/archives/{channel.id}/p{digits}"
        parent = message.get("thread_ts")
        if parent and parent != message["ts"]:
            link += f"?thread_ts={parent}&cid={channel.id}"
        return {"channel": channel.id, "permalink": link}

    # -- conversations -------------------------------------------------------------------------

    def conversations_history(self, args: Args) -> dict[str, Any]:
        """Top-level messages, newest first, as Slack lists them; one page (no cursor)."""
        channel = self._conversations.channel_for_bot(args.optional_string("channel"))
        if args.optional_string("cursor"):
            raise SlackError("invalid_cursor")  # the bot reads one page; paging is not imitated
        include_payload = args.flag("include_all_metadata")
        within = _time_range(args)
        messages = [
            with_metadata_visibility(m, include_payload)
            for m in reversed(self._conversations.top_level(channel))
            if within(m["ts"])
        ]
        most = _page_size(args)
        return {"messages": messages[:most], "has_more": len(messages) > most}

    def conversations_replies(self, args: Args) -> dict[str, Any]:
        channel = self._conversations.channel_for_bot(args.optional_string("channel"))
        thread = self._conversations.thread(channel, args.string("ts", error="thread_not_found"))
        include_payload = args.flag("include_all_metadata")
        within = _time_range(args)
        messages = [with_metadata_visibility(m, include_payload) for m in thread if within(m["ts"])]
        most = min(_page_size(args), self.replies_page_limit)
        page, next_cursor = _paginate(messages, most, args.optional_string("cursor"))
        return {
            "messages": page,
            "has_more": bool(next_cursor),
            "response_metadata": {"next_cursor": next_cursor},
        }

    # -- views ---------------------------------------------------------------------------------

    def views_open(self, args: Args) -> dict[str, Any]:
        trigger_id = args.string("trigger_id", error="invalid_trigger_id")
        view = args.structured("view", error="invalid_arguments")
        return {"view": self._views.open(trigger_id, view, self._rejected_block_types)}

    def views_publish(self, args: Args) -> dict[str, Any]:
        user_id = args.string("user_id")
        view = args.structured("view", error="invalid_arguments")
        return {"view": self._views.publish(user_id, view, self._rejected_block_types)}

    # -- files ---------------------------------------------------------------------------------

    def files_get_upload_url_external(self, args: Args) -> dict[str, Any]:
        stored = self._files.reserve(args.string("filename"), args.integer("length", 0))
        return {"upload_url": self._files.upload_url(stored.id), "file_id": stored.id}

    def files_complete_upload_external(self, args: Args) -> dict[str, Any]:
        requested = _file_requests(args)
        channel, thread_ts = self._share_target(args)
        records = [self._files.complete(item["id"], item.get("title")) for item in requested]
        if channel is not None:
            self._share(channel, records, thread_ts, args.optional_string("initial_comment"))
        return {"files": [{"id": r["id"], "title": r["title"]} for r in records]}

    def _share_target(self, args: Args) -> tuple[Channel | None, str | None]:
        channel_id = args.optional_string("channel_id")
        if channel_id is None:
            return None, None
        channel = self._conversations.channel_for_bot(channel_id)
        thread_ts = args.optional_string("thread_ts")
        if thread_ts:
            self._conversations.thread_parent(channel, thread_ts)
        return channel, thread_ts

    def _share(
        self,
        channel: Channel,
        records: list[dict[str, Any]],
        thread_ts: str | None,
        comment: str | None,
    ) -> None:
        message = {
            **bot_message(MessageContent(text=comment or "")),
            "files": [file_summary(r) for r in records],
            "upload": True,
        }
        posted = self._conversations.post(channel, message, thread_ts=thread_ts)
        for record in records:
            self._files.share(record, channel.id, channel.kind, posted["ts"])


def _file_requests(args: Args) -> list[dict[str, Any]]:
    requested = args.structured("files", error="invalid_arguments")
    valid = (
        isinstance(requested, list)
        and requested
        and all(isinstance(item, dict) and isinstance(item.get("id"), str) for item in requested)
    )
    if not valid:
        raise SlackError("invalid_arguments", ["[ERROR] files must be a list of {id, title}"])
    return requested


def _page_size(args: Args) -> int:
    limit = args.integer("limit", MAX_PAGE, error="invalid_limit")
    if limit < 1:
        raise SlackError("invalid_limit")
    return min(limit, MAX_PAGE)


def _time_range(args: Args) -> Callable[[str], bool]:
    """Slack's `oldest` and `latest` (exclusive unless `inclusive`): which messages a call sees.
    The earliest messages in the range come first."""
    oldest = _timestamp(args, "oldest", Decimal(0))
    latest = _timestamp(args, "latest", Decimal("Infinity"))
    if args.flag("inclusive"):
        return lambda ts: oldest <= Decimal(ts) <= latest
    return lambda ts: oldest < Decimal(ts) < latest


def _timestamp(args: Args, name: str, default: Decimal) -> Decimal:
    text = args.optional_string(name)
    if not text:
        return default
    try:
        return Decimal(text)
    except InvalidOperation:
        raise SlackError(f"invalid_ts_{name}") from None


def _paginate(
    messages: list[dict[str, Any]], limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str]:
    """One page and the cursor of the next ("" on the last page), as Slack's cursors work."""
    start = 0
    if cursor:
        next_ts = _decode_cursor(cursor)
        start = next((i for i, m in enumerate(messages) if m["ts"] >= next_ts), len(messages))
    end = start + limit
    if end >= len(messages):
        return messages[start:], ""
    return messages[start:end], _encode_cursor(messages[end]["ts"])


def _encode_cursor(ts: str) -> str:
    return base64.b64encode(f"{CURSOR_PREFIX}{ts}".encode()).decode()


def _decode_cursor(cursor: str) -> str:
    try:
        decoded = base64.b64decode(cursor.encode(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise SlackError("invalid_cursor") from None
    if not decoded.startswith(CURSOR_PREFIX):
        raise SlackError("invalid_cursor")
    return decoded[len(CURSOR_PREFIX) :]
