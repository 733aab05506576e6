"""Reading Web API arguments the way Slack does, whichever encoding the client chose.

slack_sdk sends some methods as JSON (lists and objects stay lists and objects) and others as
form fields (lists and objects arrive as JSON strings, booleans as "1"/"0"); Slack accepts both,
so every accessor here accepts both too.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .errors import SlackError

TRUE_STRINGS = frozenset({"1", "true", "yes", "on"})


class Args:
    """The arguments of one call. Absent and ``None`` values are the same thing."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = {key: value for key, value in values.items() if value is not None}

    def get(self, name: str, default: Any = None) -> Any:
        return self._values.get(name, default)

    def string(self, name: str, *, error: str = "invalid_arguments") -> str:
        """A required non-empty string; Slack reports a missing one with ``error``."""
        value = self.optional_string(name)
        if not value:
            raise SlackError(error)
        return value

    def optional_string(self, name: str) -> str | None:
        value = self._values.get(name)
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        raise SlackError("invalid_arguments", [f"[ERROR] `{name}` must be a string"])

    def flag(self, name: str) -> bool:
        value = self._values.get(name, False)
        if isinstance(value, str):
            return value.strip().lower() in TRUE_STRINGS
        return bool(value)

    def integer(self, name: str, default: int, *, error: str = "invalid_arguments") -> int:
        value = self._values.get(name, default)
        if isinstance(value, bool):
            raise SlackError(error)
        try:
            return int(value)
        except (TypeError, ValueError):
            raise SlackError(error) from None

    def structured(self, name: str, *, error: str) -> Any:
        """A list or object, decoded from JSON when it came as a form field."""
        value = self._values.get(name)
        if not isinstance(value, str):
            return value
        if not value.strip():
            return None
        try:
            return json.loads(value)
        except json.JSONDecodeError as exc:
            raise SlackError(error, [f"[ERROR] `{name}` is not valid JSON: {exc.msg}"]) from None
