"""Accepting text that `systems` rejects but whose meaning is plain, and saying so."""

from __future__ import annotations

import re

from bot.model.source import split_parts

_FENCE_LINE = re.compile(r"^\s*```[A-Za-z0-9_-]*\s*$")


def prepare_definition(definition: str) -> tuple[str, list[str]]:
    """Return the definition `systems` can read plus a warning for each thing fixed on the way."""
    warnings: list[str] = []
    if "\r" in definition:
        definition = definition.replace("\r\n", "\n").replace("\r", "\n")
        warnings.append("Windows line endings (CRLF) were read as plain line breaks.")
    definition, fence_warning = _strip_fences(definition)
    warnings += fence_warning
    lines = []
    for number, line in enumerate(definition.split("\n"), start=1):
        kept, warning = _strip_flow_comment(line, number)
        lines.append(kept)
        warnings += warning
    return "\n".join(lines), warnings


def _strip_fences(definition: str) -> tuple[str, list[str]]:
    """Blank out fence lines rather than delete them, so line numbers still match the input."""
    lines = definition.split("\n")
    fences = [i for i, line in enumerate(lines) if _FENCE_LINE.match(line)]
    inline = definition.strip().startswith("```") and definition.strip().endswith("```")
    if not fences and not inline:
        return definition, []
    if fences:
        for index in fences:
            lines[index] = ""
        definition = "\n".join(lines)
    if "```" in definition:
        definition = definition.replace("```", "   ")
    return definition, ["The code fence (```) around the model was ignored."]


def _strip_flow_comment(line: str, number: int) -> tuple[str, list[str]]:
    """`A > B @ 5 # note` breaks `systems`; a comment there can only mean a comment."""
    hash_at = line.find("#")
    if hash_at <= 0 or not line[:hash_at].strip():
        return line, []
    parts = split_parts(line[:hash_at])
    if parts.rate is None or not parts.rate.stripped:
        return line, []
    return line[:hash_at].rstrip(), [
        f"Line {number}: the comment after the flow was ignored "
        "(`systems` itself cannot read a comment there)."
    ]
