"""Reading a definition and its options (`rounds=N`, `Name=value`) out of a chat message."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.chat.normalize import normalize_text
from bot.chat.recognise import holds_model
from bot.model import ModelError

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
_OVERRIDE = re.compile(
    r"(?<![\w.(])([A-Za-z][A-Za-z0-9_]*+)\s*+=\s*+(-?+(?:\d++(?:\.\d++)?+|inf))(?![\w.])"
)
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


class TextTooLong(ModelError):
    """Text far longer than any model, left unread."""

    def __init__(self, length: int) -> None:
        super().__init__(
            f"This message is {length:,} characters long; I read messages of up to "
            f"{MAX_TEXT_CHARS:,} characters, so I didn't read it.",
            hint="Send the model on its own, without the rest of the text.",
        )


def read_request(text: str) -> ModelRequest:
    """Split raw text into the definition and its options (`rounds=N`, `Name=value`).

    With a fenced block the definition is inside it and the text outside holds the options;
    without one, options are taken out of the text and `;` separates lines. Text longer than
    MAX_TEXT_CHARS is not read: TextTooLong.
    """
    if len(text) > MAX_TEXT_CHARS:
        raise TextTooLong(len(text))
    text = normalize_text(text)
    fences = list(_FENCE.finditer(text))
    if fences:
        tag, body = _fence_body(fences[0])
        outside = _FENCE.sub("\n", text)
        rounds, outside = _take_rounds(outside)
        overrides, _ = _take_overrides(outside)
        return ModelRequest(body, rounds, overrides, True, tag)
    text = _INLINE_CODE.sub(lambda m: m.group(1), text)
    rounds, text = _take_rounds(text)
    overrides, text = _take_overrides(text)
    definition = "\n".join(line.rstrip() for line in text.replace(";", "\n").split("\n"))
    return ModelRequest(definition.strip("\n"), rounds, overrides, False, None)


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


def _take_overrides(text: str) -> tuple[dict[str, str], str]:
    overrides = {m.group(1): m.group(2) for m in _OVERRIDE.finditer(text)}
    return overrides, _OVERRIDE.sub(" ", text)


def looks_like_model(request: ModelRequest) -> bool:
    """Whether the request holds a model: a fence tagged as one, or a line `systems` reads as a
    flow. Mentions, direct messages, code blocks and edits all ask this, so that chatter in a
    busy channel is left alone."""
    return request.fence_tag in _MODEL_TAGS or holds_model(request.definition)
