"""Undoing Slack's markup and escaping, and what chat clients do to typed text."""

from __future__ import annotations

from bot.chat.normalize import normalize_text
from bot.chat.reader import read_request


def test_slack_entities_are_unescaped():
    assert read_request("[a] &gt; b @ 5").definition == "[a] > b @ 5"
    assert normalize_text("&lt;b&gt; &amp; c") == "<b> & c"


def test_an_escaped_ampersand_is_unescaped_once():
    assert normalize_text("&amp;gt;") == "&gt;"


def test_a_link_becomes_its_label():
    assert normalize_text("see <http://x|x> and <https://example.com/a?b=c>") == (
        "see x and https://example.com/a?b=c"
    )


def test_a_channel_link_becomes_its_name():
    assert normalize_text("<#C123|general>") == "#general"


def test_smart_quotes_become_plain_quotes():
    assert normalize_text("\u2018a\u2019 \u201cb\u201d") == "'a' \"b\""
