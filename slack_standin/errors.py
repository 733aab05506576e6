"""The one way a stand-in operation fails: a Slack error name plus optional explanations."""

from __future__ import annotations

from typing import Any


class SlackError(Exception):
    """A Web API failure, answered like Slack does: HTTP 200 with ``{"ok": false, "error": ...}``.

    ``messages`` become ``response_metadata.messages`` (Slack uses them to say which part of a
    Block Kit payload it rejected).
    """

    def __init__(self, error: str, messages: list[str] | None = None) -> None:
        super().__init__(error if not messages else f"{error}: {'; '.join(messages)}")
        self.error = error
        self.messages = list(messages or [])

    def to_body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error": self.error}
        if self.messages:
            body["response_metadata"] = {"messages": self.messages}
        return body
