"""Message content (text, blocks, metadata): reading, validating, building.

Shared by chat.postMessage, chat.update and response_url posts, because Slack applies the same
content rules to all of them.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from . import blockkit
from .args import Args
from .errors import SlackError
from .identity import APP_ID, BOT_ID, BOT_NAME, BOT_USER_ID, TEAM_ID

MAX_TEXT = 40_000
# Slack publishes no limit for metadata; this is the largest event_payload (bytes of compact
# JSON) accepted before metadata_too_large.
METADATA_LIMIT = 16_000


@dataclass(frozen=True)
class MessageContent:
    text: str
    blocks: list[Any] | None = None
    metadata: dict[str, Any] | None = None

    def fields(self) -> dict[str, Any]:
        """The message fields this content sets; absent parts are left out."""
        values = {"text": self.text, "blocks": self.blocks, "metadata": self.metadata}
        return {key: value for key, value in values.items() if value is not None}


def read_content(args: Args, rejected_block_types: Collection[str]) -> MessageContent:
    """The validated content of a message-posting call; raises SlackError like Slack would."""
    content = MessageContent(
        text=args.optional_string("text") or "",
        blocks=args.structured("blocks", error="invalid_blocks_format"),
        metadata=read_metadata(args),
    )
    if not (content.text or content.blocks):
        raise SlackError("no_text")
    if len(content.text) > MAX_TEXT:
        raise SlackError("msg_too_long")
    if content.blocks is not None:
        checker = blockkit.BlockChecker(blockkit.MESSAGE, rejected_block_types)
        if checker.check_blocks(content.blocks):
            raise SlackError("invalid_blocks", checker.problems)
    return content


def read_metadata(args: Args) -> dict[str, Any] | None:
    """Message metadata: ``event_type`` plus an ``event_payload`` object of bounded size."""
    metadata = args.structured("metadata", error="invalid_metadata_format")
    if metadata is None:
        return None
    if not isinstance(metadata, dict):
        raise SlackError("invalid_metadata_format")
    event_type = metadata.get("event_type")
    payload = metadata.get("event_payload")
    if not isinstance(event_type, str) or not event_type or not isinstance(payload, dict):
        raise SlackError(
            "invalid_metadata_schema",
            ["[ERROR] metadata needs a string event_type and an object event_payload"],
        )
    size = len(json.dumps(payload, separators=(",", ":")).encode("utf-8"))
    if size > METADATA_LIMIT:
        raise SlackError(
            "metadata_too_large", [f"[ERROR] event_payload is {size} bytes > {METADATA_LIMIT}"]
        )
    return {"event_type": event_type, "event_payload": payload}


def bot_message(content: MessageContent) -> dict[str, Any]:
    """A message as the bot's own posts look in Slack's answers and history."""
    return {
        "type": "message",
        "user": BOT_USER_ID,
        "bot_id": BOT_ID,
        "app_id": APP_ID,
        "team": TEAM_ID,
        "bot_profile": {"id": BOT_ID, "app_id": APP_ID, "name": BOT_NAME, "team_id": TEAM_ID},
        **content.fields(),
    }


def user_message(text: str, user: str) -> dict[str, Any]:
    return {"type": "message", "user": user, "team": TEAM_ID, "text": text}


def with_metadata_visibility(message: dict[str, Any], include_payload: bool) -> dict[str, Any]:
    """Slack returns only ``event_type`` unless the reader asked for ``include_all_metadata``."""
    if include_payload or "metadata" not in message:
        return message
    return {**message, "metadata": {"event_type": message["metadata"]["event_type"]}}
