"""The conversations of the simulated workspace: channels, messages, threads, ephemerals.

Not thread-safe by itself; ``SlackService`` serialises every access with one lock.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from .errors import SlackError

CHANNEL_PREFIXES = {"C": "public", "G": "private", "D": "im"}
DELETED_TEXT = "This message was deleted."


class TsClock:
    """Issues message timestamps ("1712345678.000100").

    Slack's ts is both the message id and its order, so two messages posted in the same
    microsecond must still get distinct, increasing values.
    """

    def __init__(self) -> None:
        self._last_micros = 0
        self.pace_micros = 1  # the least time between two messages

    def next(self) -> str:
        micros = max(time.time_ns() // 1000, self._last_micros + self.pace_micros)
        self._last_micros = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"


@dataclass
class Channel:
    id: str
    name: str
    bot_is_member: bool
    messages: dict[str, dict[str, Any]] = field(default_factory=dict)  # by ts, posting order
    ephemerals: list[dict[str, Any]] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return CHANNEL_PREFIXES[self.id[0]]

    @property
    def bot_can_access(self) -> bool:
        """A bot always takes part in its DMs; in channels it must have been invited."""
        return self.kind == "im" or self.bot_is_member

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "is_im": self.kind == "im",
            "bot_is_member": self.bot_can_access,
        }


class Conversations:
    def __init__(self) -> None:
        self.channels: dict[str, Channel] = {}
        self.clock = TsClock()

    # -- channels ------------------------------------------------------------------------------

    def add_channel(self, channel_id: str, name: str | None, bot_is_member: bool) -> Channel:
        """Add a channel, or change the name and membership of an existing one."""
        if not channel_id or channel_id[0] not in CHANNEL_PREFIXES:
            raise ValueError(f"channel ids start with C, G or D, got {channel_id!r}")
        channel = self.channels.get(channel_id)
        if channel is None:
            channel = self.channels[channel_id] = Channel(channel_id, "", bot_is_member)
        channel.name = name or channel.name or channel_id.lower()
        channel.bot_is_member = bot_is_member
        return channel

    def channel(self, channel_id: str | None) -> Channel:
        channel = self.channels.get(channel_id or "")
        if channel is None:
            raise SlackError("channel_not_found")
        return channel

    def channel_for_bot(self, channel_id: str | None) -> Channel:
        channel = self.channel(channel_id)
        if not channel.bot_can_access:
            raise SlackError("not_in_channel")
        return channel

    # -- messages ------------------------------------------------------------------------------

    def post(
        self, channel: Channel, message: dict[str, Any], thread_ts: str | None = None
    ) -> dict[str, Any]:
        """Store a new message, as a reply when ``thread_ts`` is given; returns it with its ts."""
        parent = self.thread_parent(channel, thread_ts) if thread_ts else None
        message = {**message, "ts": self.clock.next()}
        if parent is not None:
            _attach_reply(parent, message)
        channel.messages[message["ts"]] = message
        return message

    def message(self, channel: Channel, ts: str | None) -> dict[str, Any]:
        message = channel.messages.get(ts or "")
        if message is None:
            raise SlackError("message_not_found")
        return message

    def edit(self, message: dict[str, Any], fields: dict[str, Any], editor: str) -> None:
        message.update(fields)
        message["edited"] = {"user": editor, "ts": self.clock.next()}

    def delete(self, channel: Channel, ts: str) -> None:
        message = self.message(channel, ts)
        if message.get("reply_count"):
            # Slack keeps a placeholder so the thread's replies stay reachable.
            kept_keys = ("ts", "thread_ts", "reply_count", "latest_reply")
            kept = {key: message[key] for key in kept_keys if key in message}
            message.clear()
            message.update(type="message", subtype="tombstone", text=DELETED_TEXT, **kept)
            return
        del channel.messages[ts]
        parent_ts = message.get("thread_ts")
        if parent_ts and parent_ts != ts and parent_ts in channel.messages:
            _detach_reply(channel.messages[parent_ts], self.replies(channel, parent_ts))

    def thread_parent(self, channel: Channel, ts: str) -> dict[str, Any]:
        """The thread's first message; a reply's ts leads to its parent, as in Slack."""
        message = channel.messages.get(ts)
        if message is None:
            raise SlackError("thread_not_found")
        return channel.messages.get(message.get("thread_ts", ts), message)

    def top_level(self, channel: Channel) -> list[dict[str, Any]]:
        return [m for m in channel.messages.values() if not _is_reply(m)]

    def replies(self, channel: Channel, parent_ts: str) -> list[dict[str, Any]]:
        return [
            m
            for m in channel.messages.values()
            if m.get("thread_ts") == parent_ts and m["ts"] != parent_ts
        ]

    def thread(self, channel: Channel, ts: str) -> list[dict[str, Any]]:
        parent = self.thread_parent(channel, ts)
        return [parent, *self.replies(channel, parent["ts"])]

    # -- ephemeral messages --------------------------------------------------------------------

    def post_ephemeral(
        self, channel: Channel, message: dict[str, Any], recipient: str
    ) -> dict[str, Any]:
        message = {**message, "ts": self.clock.next(), "recipient": recipient}
        channel.ephemerals.append(message)
        return message

    # -- whole workspace -----------------------------------------------------------------------

    def clear(self) -> None:
        for channel in self.channels.values():
            channel.messages.clear()
            channel.ephemerals.clear()

    def snapshot(self) -> list[dict[str, Any]]:
        """Every channel with its top-level messages, each carrying its replies."""
        return [self._channel_snapshot(channel) for channel in self.channels.values()]

    def _channel_snapshot(self, channel: Channel) -> dict[str, Any]:
        messages = [
            {**message, "replies": self.replies(channel, message["ts"])}
            for message in self.top_level(channel)
        ]
        return {**channel.summary(), "messages": messages, "ephemerals": channel.ephemerals}


def _is_reply(message: dict[str, Any]) -> bool:
    return message.get("thread_ts", message["ts"]) != message["ts"]


def _attach_reply(parent: dict[str, Any], reply: dict[str, Any]) -> None:
    reply["thread_ts"] = parent["ts"]
    reply["parent_user_id"] = parent.get("user")
    parent["thread_ts"] = parent["ts"]
    parent["reply_count"] = parent.get("reply_count", 0) + 1
    parent["latest_reply"] = reply["ts"]
    users = parent.setdefault("reply_users", [])
    if reply.get("user") and reply["user"] not in users:
        users.append(reply["user"])
    parent["reply_users_count"] = len(users)


def _detach_reply(parent: dict[str, Any], remaining: list[dict[str, Any]]) -> None:
    parent["reply_count"] = len(remaining)
    if remaining:
        parent["latest_reply"] = remaining[-1]["ts"]
    else:
        for key in ("latest_reply", "reply_count", "reply_users", "reply_users_count"):
            parent.pop(key, None)
