"""Reading a thread reply as a change to the run before it, or as ordinary chatter."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.chat.reader import looks_like_model, read_request
from bot.chat.recognise import is_flow_line
from bot.model import Seek, Sweep
from bot.model.edit import merge_flow_lines

_RERUN_WORDS = frozenset({"rerun", "re-run", "run again", "run it again", "again"})
_FILLER = re.compile(r"[\s.,;:!?]*+")


@dataclass
class Rerun:
    """What a reply asks to change; empty fields keep what the previous run had."""

    definition: str | None = None
    flow_lines: list[str] = field(default_factory=list)
    rounds: int | None = None
    overrides: dict[str, str] = field(default_factory=dict)
    many: Sweep | Seek | None = None  # a new sweep or seek in place of the previous one

    def apply(self, previous_definition: str, previous_rounds: int) -> tuple[str, int]:
        """The definition and rounds to run now (overrides are applied by the runner)."""
        definition = self.definition if self.definition is not None else previous_definition
        if self.flow_lines:
            definition = merge_flow_lines(definition, self.flow_lines)
        return definition, previous_rounds if self.rounds is None else self.rounds


def read_rerun(text: str, addressed: bool = False) -> Rerun | None:
    """A Rerun if the reply asks for one, else None (so chatter in a thread is left alone).

    A reply to the bot (`addressed`) may wrap its request in words; any other reply must hold
    nothing but the request, so that talk that happens to contain `x=5` stays talk.
    """
    request = read_request(text)
    if request.fenced:  # a new model, unless it is some other code and not for the bot
        if not (addressed or looks_like_model(request)):
            return None
        return Rerun(request.definition, [], request.rounds, request.overrides, request.many)
    lines = [line for line in request.definition.split("\n") if line.strip()]
    flows, rest = [], []
    for line in lines:
        (flows if is_flow_line(line) else rest).append(line)
    asked = bool(flows or request.rounds is not None or request.overrides or request.many)
    leftover = [line for line in rest if not _is_rerun_word(line)]
    rerun_word = len(leftover) < len(rest)
    if not (asked or rerun_word):
        return None
    if leftover and not addressed and not all(map(_is_filler, leftover)):
        return None
    return Rerun(None, flows, request.rounds, request.overrides, request.many)


def _is_rerun_word(line: str) -> bool:
    """`rerun`, `run it again.` and the like: the words alone, with at most one `.` or `!`.
    A plain comparison, not a pattern: the line is untrusted and may be 40,000 spaces long."""
    words = line.strip()
    if words.endswith((".", "!")):
        words = words[:-1].rstrip()
    return words.lower() in _RERUN_WORDS


def _is_filler(line: str) -> bool:
    return _FILLER.fullmatch(line) is not None
