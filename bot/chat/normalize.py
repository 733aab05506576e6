"""Undoing what Slack and chat clients do to typed text, so it reads as the person typed it."""

from __future__ import annotations

import html
import re

# Slack wraps mentions, channels and links in <...>; a human's own < and > arrive as &lt; &gt;,
# so markup must be resolved before unescaping. Possessive quantifiers: the text is untrusted,
# and a scan from one `<` stops at the next `<` or `>`, so reading it all is linear.
_SLACK_MARKUP = re.compile(
    r"<([@#!][^<>|]*+|[a-z][a-z0-9+.-]*+:[^<>|\s]*+)(?:\|([^<>]*+))?+>", re.I
)
_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff]")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def normalize_text(text: str) -> str:
    """Undo what chat clients do to text: markup, entities, odd spaces, quotes, line endings."""
    text = _SLACK_MARKUP.sub(_markup_replacement, text)
    text = html.unescape(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text)
    return text.translate(_QUOTES)


def _markup_replacement(match: re.Match) -> str:
    target, label = match.group(1), match.group(2)
    if target.startswith(("@", "!")):  # people, and <!here> <!channel> <!subteam^S1|@team>
        return ""
    if label:
        return ("#" + label) if target.startswith("#") else label
    return target
