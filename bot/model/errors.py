"""The one error type every front end sees."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ModelError(Exception):
    """A model that cannot be run, said in the user's terms.

    `line` and `column` are 1-based and point into the definition the user wrote;
    `source_line` is that line's text, so a front end can draw a caret under the column.
    """

    message: str
    line: int | None = None
    column: int | None = None
    source_line: str | None = None
    hint: str | None = None

    def __str__(self) -> str:
        where = f" (line {self.line}, column {self.column})" if self.line and self.column else ""
        if self.line and not self.column:
            where = f" (line {self.line})"
        return f"{self.message}{where}"

    def to_dict(self) -> dict:
        return {
            "message": self.message,
            "line": self.line,
            "column": self.column,
            "hint": self.hint,
        }
