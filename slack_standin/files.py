"""Files uploaded the way Slack's external upload works: reserve, send the bytes, complete.

The three steps are kept apart on purpose: a bot that skips the upload, or sends a different
number of bytes than it announced, fails at completion as it would against Slack.
"""

from __future__ import annotations

import itertools
import mimetypes
import time
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from .errors import SlackError
from .identity import BOT_USER_ID
from .links import Links


@dataclass
class StoredFile:
    id: str
    filename: str
    length: int
    content: bytes | None = None
    record: dict[str, Any] | None = None  # Slack's file object, once completed

    @property
    def mimetype(self) -> str:
        return mimetypes.guess_type(self.filename)[0] or "application/octet-stream"


class FileStore:
    def __init__(self, links: Links) -> None:
        self._links = links
        self._files: dict[str, StoredFile] = {}
        self._ids = itertools.count(1)

    def reserve(self, filename: str, length: int) -> StoredFile:
        if length <= 0:
            raise SlackError("invalid_arguments", ["[ERROR] length must be a positive integer"])
        stored = StoredFile(f"F{next(self._ids):08d}", filename, length)
        self._files[stored.id] = stored
        return stored

    def upload_url(self, file_id: str) -> str:
        return self._links.upload(file_id)

    def receive(self, file_id: str, content: bytes) -> bool:
        """Store the bytes POSTed to an upload URL; False for an unknown URL."""
        stored = self._files.get(file_id)
        if stored is None:
            return False
        stored.content = content
        return True

    def complete(self, file_id: str, title: str | None) -> dict[str, Any]:
        stored = self._files.get(file_id)
        if stored is None:
            raise SlackError("file_not_found")
        if stored.content is None:
            raise SlackError("file_not_uploaded", [f"[ERROR] no bytes were sent for {file_id}"])
        if len(stored.content) != stored.length:
            raise SlackError(
                "file_size_mismatch",
                [f"[ERROR] announced {stored.length} bytes, received {len(stored.content)}"],
            )
        stored.record = _record(stored, title or stored.filename)
        return stored.record

    def share(self, record: dict[str, Any], channel_id: str, kind: str, ts: str) -> None:
        """Note where the file was posted, as Slack's file object lists its shares."""
        share_kind = "private" if kind != "public" else "public"
        record["shares"].setdefault(share_kind, {}).setdefault(channel_id, []).append({"ts": ts})

    def get(self, file_id: str) -> StoredFile | None:
        return self._files.get(file_id)

    def completed(self) -> list[dict[str, Any]]:
        return [f.record for f in self._files.values() if f.record is not None]

    def clear(self) -> None:
        self._files.clear()


def _record(stored: StoredFile, title: str) -> dict[str, Any]:
    return {
        "id": stored.id,
        "created": int(time.time()),
        "name": stored.filename,
        "title": title,
        "mimetype": stored.mimetype,
        "filetype": PurePath(stored.filename).suffix.lstrip(".").lower() or "binary",
        "user": BOT_USER_ID,
        "size": len(stored.content or b""),
        "shares": {},
    }


def file_summary(record: dict[str, Any]) -> dict[str, Any]:
    """The file as it appears inside a message's ``files`` list."""
    keys = ("id", "name", "title", "mimetype", "filetype", "size")
    return {key: record[key] for key in keys}
