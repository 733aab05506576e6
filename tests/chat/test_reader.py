"""Reading a definition and its options out of a chat message as Slack delivers it."""

from __future__ import annotations

import pytest

from bot.chat import reader
from bot.chat.reader import MAX_TEXT_CHARS, TextTooLong, looks_like_model, read_request
from bot.chat.rerun import read_rerun
from bot.model import ModelError, run_definition
from tests.chat.hostile import flow_line
from tests.model.oracle import assert_same_as_systems

# --- Slack escaping and markup -----------------------------------------------------------------


def test_a_mention_is_removed():
    assert read_request("<@U123> [a] > b @ 5").definition.strip() == "[a] > b @ 5"
    assert read_request("<@U123|bob> [a] > b @ 5").definition.strip() == "[a] > b @ 5"


@pytest.mark.parametrize("mention", ["<!here>", "<!channel>", "<!subteam^S123|@team>"])
def test_group_mentions_are_removed(mention):
    assert read_request(f"{mention} [a] > b @ 5").definition.strip() == "[a] > b @ 5"


def test_the_users_own_angle_brackets_survive_markup_removal():
    # Slack sends a typed `>` as `&gt;`, so it must not be taken for markup
    assert read_request("<@U1> a &gt; b @ 1 &lt;3").definition.strip() == "a > b @ 1 <3"


# --- code fences and inline code ---------------------------------------------------------------


@pytest.mark.parametrize("tag", ["", "systems", "sys", "text"])
def test_a_fenced_block_holds_the_definition(tag):
    request = read_request(f"please run\n```{tag}\n[a] > b @ 5\nb > c @ 1\n```\nthanks")
    assert request.definition == "[a] > b @ 5\nb > c @ 1"
    assert request.fenced
    assert request.fence_tag == (tag or None)


def test_an_unknown_fence_tag_is_kept_as_part_of_the_model():
    # `systems` would read it as a stock name; dropping it silently could hide a real line
    assert read_request("```Hires\n[a] > b @ 5\n```").definition == "Hires\n[a] > b @ 5"


def test_a_fence_on_one_line():
    assert read_request("```[a] > b @ 5```").definition == "[a] > b @ 5"


def test_options_outside_the_fence_are_read_and_not_taken_for_overrides():
    request = read_request("rounds=5 b=3\n```\n[a] > b @ 5\n```")
    assert (request.rounds, request.overrides) == (5, {"b": "3"})


def test_text_inside_the_fence_is_not_an_option():
    request = read_request("```\n[a] > b @ 5\n# rounds=3 b=1\n```")
    assert (request.rounds, request.overrides) == (None, {})
    assert request.definition == "[a] > b @ 5\n# rounds=3 b=1"


def test_inline_code_is_unwrapped():
    assert read_request("`[a] > b @ 5` rounds 3").definition == "[a] > b @ 5"
    assert read_request("`[a] > b @ 5`\n`b > c @ 1`").definition == "[a] > b @ 5\nb > c @ 1"


# --- options -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "option",
    ["rounds=7", "rounds = 7", "rounds 7", "rounds: 7", "-r 7", "--rounds 7", "--rounds=7"],
)
def test_rounds_options(option):
    request = read_request(f"[a] > b @ 5 {option}")
    assert request.rounds == 7
    assert request.definition == "[a] > b @ 5"


def test_the_last_rounds_option_wins():
    assert read_request("rounds=3 [a] > b @ 5 -r 9").rounds == 9


def test_no_rounds_option_leaves_the_default():
    assert read_request("[a] > b @ 5").rounds is None


def test_rounds_must_be_whole():
    with pytest.raises(ModelError, match="whole number"):
        read_request("[a] > b @ 5 rounds=2.5")


def test_an_absurd_number_of_rounds_is_an_error_not_a_crash():
    with pytest.raises(ModelError, match="far more rounds"):
        read_request("[a] > b @ 5 rounds=" + "9" * 5000)


def test_a_stock_named_like_an_option_is_left_alone():
    assert read_request("[a] > rounds @ 5").definition == "[a] > rounds @ 5"


@pytest.mark.parametrize(
    ("option", "expected"),
    [("b=3", {"b": "3"}), ("b = 2.5", {"b": "2.5"}), ("Hires=-4", {"Hires": "-4"})],
)
def test_overrides(option, expected):
    request = read_request(f"[a] > b @ 5\n{option}")
    assert request.overrides == expected
    assert request.definition == "[a] > b @ 5"


def test_overrides_reach_the_run():
    request = read_request("a(5) > b @ 1 a=3 rounds=2")
    result = run_definition(request.definition, request.rounds, request.overrides)
    assert result.rows == [[0, 3, 0], [1, 2, 1], [2, 1, 2]]  # by hand: 3 moves one a round


def test_a_formula_with_equals_inside_parentheses_is_not_an_override():
    assert read_request("a(b=3) > c @ 1").overrides == {}


# --- what chat clients do to text --------------------------------------------------------------


def test_crlf_and_lone_cr_become_line_breaks():
    assert read_request("[a] > b @ 5\r\nb > c @ 1\rc > d @ 1").definition == (
        "[a] > b @ 5\nb > c @ 1\nc > d @ 1"
    )


@pytest.mark.parametrize("space", ["\u00a0", "\u2003", "\u2009", "\u202f", "\u3000", "\t"])
def test_unicode_spaces_become_plain_spaces(space):
    assert read_request(f"[a]{space}>{space}b @{space}5").definition == "[a] > b @ 5"


@pytest.mark.parametrize("invisible", ["\u200b", "\u2060", "\ufeff"])
def test_invisible_characters_are_removed(invisible):
    assert read_request(f"{invisible}[a] > b{invisible} @ 5").definition == "[a] > b @ 5"


def test_semicolons_separate_lines_in_unfenced_text():
    definition = read_request("[a] > b @ 5; b > c @ 1").definition
    assert [line.strip() for line in definition.split("\n")] == ["[a] > b @ 5", "b > c @ 1"]


def test_semicolons_in_a_fence_are_left_as_written():
    assert read_request("```\n[a] > b @ 5; b > c @ 1\n```").definition == "[a] > b @ 5; b > c @ 1"


def test_a_message_as_slack_sends_it_runs_like_the_plain_model():
    raw = (
        "<@U0BOT> ```systems\r\n[Candidates]\u00a0&gt; Screens @ 5\r\n"
        "Screens &gt; Hires @ 0.5\r\n```"
    )
    request = read_request(raw)
    plain = "[Candidates] > Screens @ 5\nScreens > Hires @ 0.5"
    assert request.definition == plain
    assert_same_as_systems(run_definition(request.definition, 5), plain, 5)


# --- telling models from chatter ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["[a] > b @ 5", "Phone Screens(3) > Offers @ 0.5", "```systems\nx(1)\n```"]
)
def test_models_are_recognised(text):
    assert looks_like_model(read_request(text))


@pytest.mark.parametrize("text", ["hello > world", "lunch @ noon?", "2 > 1", "see ```code```"])
def test_chatter_is_not_a_model(text):
    assert not looks_like_model(read_request(text))


# --- text past the limit -----------------------------------------------------------------------


def test_text_past_the_limit_is_not_read_at_all(monkeypatch):
    def never(text: str) -> str:
        raise AssertionError("the text was read")

    monkeypatch.setattr(reader, "normalize_text", never)
    with pytest.raises(TextTooLong, match=f"{MAX_TEXT_CHARS + 1:,} characters long"):
        read_request("a" * (MAX_TEXT_CHARS + 1))
    with pytest.raises(TextTooLong):
        read_rerun(flow_line(10 * MAX_TEXT_CHARS))


def test_text_up_to_the_limit_is_read():
    assert looks_like_model(read_request(("a > b @ 5" + " " * MAX_TEXT_CHARS)[:MAX_TEXT_CHARS]))
