"""Where things are in the text a person wrote: lines, flow parts and columns.

`systems` throws positions away (its lexer drops whitespace and reports token tuples), so
everything that points at a column is worked out here, from the user's own text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
WORD = re.compile(r"[A-Za-z0-9_.]+")


@dataclass(frozen=True)
class Segment:
    """A piece of one line: its text and the 0-based offset where it starts."""

    text: str
    start: int

    @property
    def stripped_start(self) -> int:
        return self.start + len(self.text) - len(self.text.lstrip())

    @property
    def stripped(self) -> str:
        return self.text.strip()


@dataclass(frozen=True)
class FlowParts:
    """`Source > Destination @ rate`, any part possibly missing."""

    source: Segment
    destination: Segment | None
    rate: Segment | None


def is_blank_or_comment(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


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
    if text.startswith("[") and text.endswith("]"):
        return text[1:-1]
    return text.split("(", 1)[0].replace(" ", "")


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
