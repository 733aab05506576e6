"""Reading a thread reply as a change to the run before it, or as ordinary chatter."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.chat.reader import looks_like_model, read_request
from bot.chat.recognise import is_flow_line
from bot.model.edit import merge_flow_lines

_RERUN_WORDS = re.compile(r"^\s*(re-?run|run( it)? again|again)\s*[.!]?\s*$", re.I)
_FILLER = re.compile(r"^[\s.,;:!?]*$")


@dataclass
class Rerun:
    """What a reply asks to change; empty fields keep what the previous run had."""

    definition: str | None = None
    flow_lines: list[str] = field(default_factory=list)
    rounds: int | None = None
    overrides: dict[str, str] = field(default_factory=dict)

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
        return Rerun(request.definition, [], request.rounds, request.overrides)
    lines = [line for line in request.definition.split("\n") if line.strip()]
    flows, rest = [], []
    for line in lines:
        (flows if is_flow_line(line) else rest).append(line)
    asked = bool(flows or request.rounds is not None or request.overrides)
    rerun_word = any(_RERUN_WORDS.match(line) for line in rest)
    leftover = [line for line in rest if not _RERUN_WORDS.match(line)]
    if not (asked or rerun_word):
        return None
    if leftover and not addressed and not all(_FILLER.match(line) for line in leftover):
        return None
    return Rerun(None, flows, request.rounds, request.overrides)
