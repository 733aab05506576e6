"""Where things are in the text a person wrote: lines, flow parts, stocks and columns.

`systems` throws positions away (its lexer drops whitespace and keeps no columns), so
everything that points at a column is worked out here, from the user's own text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from bot.model.errors import ModelError


@dataclass(frozen=True)
class Segment:
    """A piece of one line: its text and the 0-based offset where it starts."""

    text: str
    start: int

    @property
    def stripped_start(self) -> int:
        return self.start + indent(self.text)

    @property
    def stripped(self) -> str:
        return self.text.strip()


@dataclass(frozen=True)
class FlowParts:
    """`Source > Destination @ rate`, any part possibly missing."""

    source: Segment
    destination: Segment | None
    rate: Segment | None

    def stocks(self) -> Iterator[Segment]:
        """The source and the destination, where they hold any text."""
        for segment in (self.source, self.destination):
            if segment is not None and segment.stripped:
                yield segment


class Listing:
    """A definition as numbered lines, for errors that quote a line and point at a column."""

    def __init__(self, definition: str):
        self.lines = definition.split("\n")

    def line(self, number: int) -> str:
        return self.lines[number - 1]

    def error(
        self, message: str, line: int, offset: int | None = None, hint: str | None = None
    ) -> ModelError:
        """A ModelError quoting `line` (1-based), pointing at `offset` (0-based) within it."""
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else None
        column = None if offset is None else offset + 1
        return ModelError(message, line, column, text, hint)

    def declaration(self, name: str, before: int | None = None) -> int | None:
        """The first line (before line `before`) that gives `name` a value in parentheses."""
        lines = self.lines if before is None else self.lines[: before - 1]
        found = (n for n, line in enumerate(lines, 1) if declaration_end(line, name) is not None)
        return next(found, None)

    def at_declaration(self, name: str) -> tuple[int, int | None]:
        """(line, offset) of `name` where it is given a value; line 1 when it never is."""
        line = self.declaration(name) or 1
        return line, find_word(self.line(line), name)

    def at_rate(self, line: int) -> tuple[int, int | None]:
        """(line, offset) of the rate of the flow on `line`."""
        return line, split_parts(self.line(line)).rate.stripped_start


def is_blank_or_comment(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def indent(text: str) -> int:
    """How many blanks `text` starts with: the offset of its first character."""
    return len(text) - len(text.lstrip())


def split_parts(line: str) -> FlowParts:
    """Split a line the way `systems` reads it: first `>` and first `@` end the stock parts."""
    at = line.find("@")
    head = line if at < 0 else line[:at]
    arrow = head.find(">")
    if arrow < 0:
        source, destination = Segment(head, 0), None
    else:
        source = Segment(head[:arrow], 0)
        destination = Segment(head[arrow + 1 :], arrow + 1)
    rate = None if at < 0 else Segment(line[at + 1 :], at + 1)
    return FlowParts(source, destination, rate)


def stock_name(segment: Segment) -> str:
    """The name `systems` gives the stock in a segment: spaces dropped, brackets and params off."""
    text = segment.stripped
    if is_infinite(segment):
        return text[1:-1]
    return text.split("(", 1)[0].replace(" ", "")


def is_infinite(segment: Segment) -> bool:
    text = segment.stripped
    return text.startswith("[") and text.endswith("]")


def stock_names(lines: Iterable[str]) -> dict[str, bool]:
    """Every stock written in `lines`, in the order first written, and whether it is infinite
    there."""
    names: dict[str, bool] = {}
    for line in lines:
        if not is_blank_or_comment(line):
            for segment in split_parts(line).stocks():
                names.setdefault(stock_name(segment), is_infinite(segment))
    return names


def declaration_end(line: str, name: str) -> int | None:
    """The offset just past the `(` with which `line` gives `name` a value, or None."""
    if is_blank_or_comment(line):
        return None
    pattern = rf"(?<![A-Za-z0-9_]){re.escape(name)}\s*\("
    match = re.search(pattern, line.split("@", 1)[0])
    return None if match is None else match.end()


def find_word(line: str, word: str, start: int = 0) -> int | None:
    """0-based column of `word` as a whole word in `line`, or None."""
    match = re.search(rf"(?<![A-Za-z0-9_]){re.escape(word)}(?![A-Za-z0-9_])", line[start:])
    return None if match is None else start + match.start()


def find_compact(line: str, compact: str, start: int = 0) -> int | None:
    """0-based column where `compact` (text without spaces) appears in `line` ignoring spaces."""
    if not compact:
        return None
    columns = [i for i in range(start, len(line)) if not line[i].isspace()]
    squeezed = "".join(line[i] for i in columns)
    found = squeezed.find(compact)
    return None if found < 0 else columns[found]


def paren_depth(text: str) -> int:
    """Deepest nesting of parentheses in `text`."""
    depth = deepest = 0
    for char in text:
        if char == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif char == ")":
            depth -= 1
    return deepest


def unmatched_parens(text: str) -> tuple[list[int], list[int]]:
    """0-based columns of `(` never closed and of `)` never opened."""
    opened: list[int] = []
    stray: list[int] = []
    for column, char in enumerate(text):
        if char == "(":
            opened.append(column)
        elif char == ")":
            if opened:
                opened.pop()
            else:
                stray.append(column)
    return opened, stray
