"""Reading a definition and its options out of a chat message: `rounds=N`, `Name=value`, a sweep
(`Name=1..5`, `Name=0.1..0.5 step 0.1`, `Name=1,2,4,8`) and a goal to seek
(`find Name: Target >= 50 at round 20`). The values and goals are read by the model layer's
grammar (bot.model.scenario_syntax); this module only finds where they are written."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.chat.normalize import normalize_text
from bot.chat.recognise import holds_model
from bot.model import ModelError, Seek, Sweep
from bot.model.scenario_syntax import GOAL_EXAMPLE, only_one, read_seek, split_settings
from bot.model.systems_adapter import STOCK_NAME

# Every pattern here runs over untrusted text, so none may backtrack: each quantifier is
# possessive (`*+`, `++`, `?+`) or a lazy scan up to a fixed string, and no two that follow each
# other can match the same characters.
_FENCE = re.compile(r"```([^\n`]*+\n)?+(.*?)```", re.S)
_INLINE_CODE = re.compile(r"`([^`\n]++)`")
_MODEL_TAGS = {"systems", "system", "sys", "model"}  # a fence tagged so holds a model
_FENCE_TAGS = _MODEL_TAGS | {"text", "txt", "plaintext", "plain"}
_ROUNDS = re.compile(
    r"(?<![\w-])(?:--rounds|-r|rounds)(?:\s*+[=:]\s*+|\s++)(-?+\d++(?:\.\d*+)?+)(?![\w.])", re.I
)
_NUMBER = r"-?+\d++(?:\.\d++)?+"
# One value (`3`, `-2.5`, `inf`), a range (`1..5`, `0.1..0.5 step 0.1`) or a list (`1, 2, 4`).
_VALUES = (
    rf"{_NUMBER}(?:\.\.{_NUMBER}(?:\s++(?i:step)\s++{_NUMBER})?+|(?:,\s*+{_NUMBER})++)?+"
    r"|-?+inf"
)
_OVERRIDE = re.compile(rf"(?<![\w.(])([A-Za-z][A-Za-z0-9_]*+)\s*+=\s*+({_VALUES})(?![\w.])")
_SEEK_WORD = "find"
# Slack cuts a message's text at 40,000 characters; a model is at most half that long (the
# default limit), so anything longer is not read at all.
MAX_TEXT_CHARS = 40_000


@dataclass
class ModelRequest:
    """What a person asked for: a definition plus the options written around it."""

    definition: str
    rounds: int | None = None
    overrides: dict[str, str] = field(default_factory=dict)
    fenced: bool = False
    fence_tag: str | None = None
    many: Sweep | Seek | None = None  # a sweep or a goal seek instead of one run


class TextTooLong(ModelError):
    """Text far longer than any model, left unread."""

    def __init__(self, length: int) -> None:
        super().__init__(
            f"This message is {length:,} characters long; I read messages of up to "
            f"{MAX_TEXT_CHARS:,} characters, so I didn't read it.",
            hint="Send the model on its own, without the rest of the text.",
        )


def read_request(text: str) -> ModelRequest:
    """Split raw text into the definition and its options (`rounds=N`, `Name=value`, a sweep's
    `Name=1..5`, a seek's `find Name: Target >= 50`).

    With a fenced block the definition is inside it and the text outside holds the options;
    without one, options are taken out of the text and `;` separates lines. Text longer than
    MAX_TEXT_CHARS is not read: TextTooLong. Options that can't be read (`rounds=2.5`, two
    swept stocks, a goal without a number) are a ModelError.
    """
    if len(text) > MAX_TEXT_CHARS:
        raise TextTooLong(len(text))
    text = normalize_text(text)
    fences = list(_FENCE.finditer(text))
    if fences:
        tag, body = _fence_body(fences[0])
        seek, outside = _take_seek(_FENCE.sub("\n", text))
        rounds, outside = _take_rounds(outside)
        overrides, sweep, _ = _take_overrides(outside)
        return ModelRequest(body, rounds, overrides, True, tag, only_one(sweep, seek))
    text = _INLINE_CODE.sub(lambda m: m.group(1), text)
    seek, text = _take_seek(text)
    rounds, text = _take_rounds(text)
    overrides, sweep, text = _take_overrides(text)
    definition = "\n".join(line.rstrip() for line in text.replace(";", "\n").split("\n"))
    many = only_one(sweep, seek)
    return ModelRequest(definition.strip("\n"), rounds, overrides, False, None, many)


def _fence_body(match: re.Match) -> tuple[str | None, str]:
    first, body = match.group(1), match.group(2)
    if first is None:
        return None, body.strip("\n")
    word = first.strip()
    if word.lower() in _FENCE_TAGS:
        return word.lower(), body.strip("\n")
    return None, (first + body).strip("\n")


def _take_rounds(text: str) -> tuple[int | None, str]:
    """The last `rounds` option wins, as it does on a command line."""
    matches = list(_ROUNDS.finditer(text))
    if not matches:
        return None, text
    value = matches[-1].group(1)
    if not value.lstrip("-").isdigit():
        raise ModelError(
            f"`rounds={value}` is not a whole number of rounds.",
            hint="Write the number of rounds as a whole number, for example `rounds=20`.",
        )
    if len(value) > 18:  # int() refuses past 4,300 digits; no limit is anywhere near this
        raise ModelError(
            f"`rounds={value[:18]}…` is far more rounds than a model can run.",
            hint="Ask for fewer rounds, for example `rounds=20`.",
        )
    return int(value), _ROUNDS.sub(" ", text)


def _take_overrides(text: str) -> tuple[dict[str, str], Sweep | None, str]:
    """`Name=value` settings: one value each, and the one stock given several (the sweep)."""
    settings = {m.group(1): m.group(2) for m in _OVERRIDE.finditer(text)}
    overrides, sweep = split_settings(settings)
    return overrides, sweep, _OVERRIDE.sub(" ", text)


def _take_seek(text: str) -> tuple[Seek | None, str]:
    """The goal to seek, written on a line (or between `;`) of its own, and the text without
    it. A line counts when it has the goal's shape (bot.model.scenario_syntax reads the rest,
    and says what is wrong in it), so that talk such as "find out why: costs > revenue" stays
    talk."""
    seeks: list[str] = []
    lines = []
    for line in text.split("\n"):
        parts = line.split(";")
        seeks += [part for part in parts if _is_seek(part)]
        lines.append(";".join(part for part in parts if not _is_seek(part)))
    if len(seeks) > 1:
        raise ModelError(
            f"This message asks for {len(seeks)} goals; I seek one at a time.",
            hint=f"Keep one `find` line, like `find {GOAL_EXAMPLE.strip('`')}`.",
        )
    return (read_seek(seeks[0]) if seeks else None), "\n".join(lines)


def _is_seek(text: str) -> bool:
    """`find Name: …` or `find Name in …: …`, with a comparison after the colon."""
    head, colon, goal = text.partition(":")
    words = head.split(maxsplit=3)
    return (
        bool(colon)
        and len(words) >= 2
        and words[0].lower() == _SEEK_WORD
        and STOCK_NAME.fullmatch(words[1]) is not None
        and (len(words) == 2 or words[2].lower() == "in")
        and ("<" in goal or ">" in goal)
    )


def looks_like_model(request: ModelRequest) -> bool:
    """Whether the request holds a model: a fence tagged as one, or a line `systems` reads as a
    flow. Mentions, direct messages, code blocks and edits all ask this, so that chatter in a
    busy channel is left alone."""
    return request.fence_tag in _MODEL_TAGS or holds_model(request.definition)
