"""The largest runs the limits allow still make messages Slack accepts (the stand-in enforces
Block Kit's limits), with nothing the user typed lost."""

import json

import pytest
from systems.parse import parse

from bot.render.numbers import display_number
from slack_standin.blockkit import MESSAGE, BlockChecker
from tests.slack.expect import block_texts, bot_replies, systems_table, table

MAX_TEXT = 4000
MAX_BUTTON_VALUE = 2000


def chain(stocks: int, prefix: str = "S") -> str:
    """An infinite source feeding `stocks` stocks in a line, one unit a round."""
    lines = [f"[Source] > {prefix}1 @ 1"]
    lines += [f"{prefix}{i} > {prefix}{i + 1} @ 1" for i in range(1, stocks)]
    return "\n".join(lines)


def assert_within_limits(message: dict) -> None:
    assert not BlockChecker(MESSAGE).check_blocks(message["blocks"])
    assert 0 < len(message["text"]) <= MAX_TEXT
    for block in message["blocks"]:
        for element in block.get("elements") or []:
            assert len(element.get("value") or "") <= MAX_BUTTON_VALUE


def notes(message: dict) -> list[str]:
    return [e["text"] for b in message["blocks"] if b["type"] == "context" for e in b["elements"]]


def preformatted(blocks: list[dict]) -> list[str]:
    return [
        element["elements"][0]["text"]
        for block in blocks
        if block["type"] == "rich_text"
        for element in block["elements"]
        if element["type"] == "rich_text_preformatted"
    ]


def posted_run(slack, definition: str, rounds: int) -> dict:
    slack.command(f"rounds={rounds}\n{definition}")
    [message] = slack.standin.messages("C1")
    assert_within_limits(message)
    return message


def test_25_stocks_for_1000_rounds_sample_rows_and_leave_out_columns_and_say_so(slack):
    definition = chain(25)
    message = posted_run(slack, definition, 1000)

    expected = systems_table(definition, 1000)
    shown = table(message)
    assert len(shown) == 100 and {len(row) for row in shown} == {20}
    assert shown[0] == expected[0][:20]
    by_round = {row[0]: row[:20] for row in expected[1:]}
    assert all(row == by_round[row[0]] for row in shown[1:])
    rounds = [int(row[0]) for row in shown[1:]]
    assert rounds[0] == 0 and rounds[-1] == 1000 and rounds == sorted(set(rounds))
    said = " ".join(notes(message))
    assert "99 of the 1001 rounds" in said
    assert all(f"`{name}`" in said for name in expected[0][20:])
    assert "`S19`" not in said


def test_a_200_stock_chain_at_1000_rounds_fits(slack):
    definition = chain(200)
    message = posted_run(slack, definition, 1000)

    expected = systems_table(definition, 1000)
    assert table(message)[0] == expected[0][:20]
    assert table(message)[1] == expected[1][:20]
    assert table(message)[-1] == expected[-1][:20]  # the whole run, not one the budget cut
    assert "and 161 more" in " ".join(notes(message))  # 181 left out, 20 of them named


@pytest.mark.parametrize("fallback", [None, "table"])
def test_long_stock_names_give_short_unique_chart_series_and_fit(slack, fallback):
    prefix = "CandidatesWaitingInTheHiringPipelineAtStageNumber" * 2  # 100 characters
    definition = chain(25, prefix)
    if fallback:
        slack.standin.reject_block_type(fallback)

    message = posted_run(slack, definition, 1000)

    visible = systems_table(definition, 2)[0][1:]
    if fallback:
        lines = "".join(preformatted(message["blocks"])).splitlines()
        assert len(lines) == 100 and lines[-1].split()[0] == "1000"
        return
    chart = next(b for b in message["blocks"] if b["type"] == "data_visualization")
    names = [series["name"] for series in chart["chart"]["series"]]
    assert len(names) == 6 == len(set(names))
    assert all(len(name) <= 20 for name in names)
    assert table(message)[0] == ["round", *visible[:19]]


def test_more_than_40_warnings_fit_in_one_context_block(slack):
    definition = "\n".join(f"S{i}(5, 1) > T{i} @ 1" for i in range(45))
    message = posted_run(slack, definition, 5)

    said = notes(message)
    assert len(said) == 10
    assert any(note.startswith(":warning: `S0` starts at 5") for note in said)
    assert "more notes" in said[-1]


def _near_limit_model_with_a_typo() -> str:
    lines, size = [], 0
    while size < 19_900:
        lines.append(f"Stage{len(lines)}(10) > Stage{len(lines) + 1} @ Leak(0.1)")
        size += len(lines[-1]) + 1
    lines.append("Stage0 > Stage1 @ Stag0")
    return "\n".join(lines)


def test_an_error_in_a_20000_character_model_echoes_all_of_it_in_a_thread(slack):
    definition = _near_limit_model_with_a_typo()
    assert 19_900 < len(definition) <= 20_000
    message = slack.user_message(definition, channel="D1")

    slack.event(message)

    [reply] = bot_replies(slack.standin, "D1", message["ts"])
    assert_within_limits(reply)
    assert "There is no stock called `Stag0`" in block_texts(reply["blocks"])
    assert _echoed(reply["blocks"]) == definition


def test_an_error_in_a_20000_character_command_echoes_all_of_it_to_the_user(slack):
    definition = _near_limit_model_with_a_typo()

    body = slack.command(definition).json()

    assert_within_limits(body)
    assert _echoed(body["blocks"]) == definition
    assert slack.standin.messages("C1") == []


def _echoed(blocks: list[dict]) -> str:
    """The preformatted text after "Your model, as you sent it:", joined back together."""
    marker = next(
        i for i, b in enumerate(blocks) if "as you sent it" in json.dumps(b.get("elements"))
    )
    return "".join(preformatted(blocks[marker + 1 :]))


def test_a_rerun_comparison_of_200_stocks_fits_and_shows_systems_numbers(slack):
    definition = chain(200)
    parent = posted_run(slack, definition, 20)
    reply_to_bot = slack.user_message("rounds=40", thread_ts=parent["ts"])

    slack.event(reply_to_bot)

    [rerun] = bot_replies(slack.standin, "C1", parent["ts"])
    assert_within_limits(rerun)
    assert table(rerun)[0] == systems_table(definition, 40)[0][:20]
    comparison = next(t for t in preformatted(rerun["blocks"]) if "Compared with" in t)
    rows = [line.split() for line in comparison.splitlines()[2:]]
    shown = [row for row in rows if row and row[0].startswith("S")]
    assert 0 < len(shown) <= 30
    model = parse(definition, tracebacks=False)
    before, after = model.run(rounds=20)[-1], model.run(rounds=40)[-1]
    for name, old, new, *_ in shown:
        assert (old, new) == (display_number(before[name]), display_number(after[name]))
    assert "more stocks (in the CSV)" in comparison


def test_a_rerun_of_200_unchanged_stocks_says_they_are_the_same(slack):
    parent = posted_run(slack, chain(200), 20)

    slack.event(slack.user_message("rerun", thread_ts=parent["ts"]))

    [rerun] = bot_replies(slack.standin, "C1", parent["ts"])
    assert_within_limits(rerun)
    assert "Compared with the run before: all 200 stocks are the same." in preformatted(
        rerun["blocks"]
    )


def test_the_most_stocks_the_limits_allow_fit(slack):
    definition = chain(999)  # and the hidden source: 1,000 stocks
    message = posted_run(slack, definition, 10)

    expected = systems_table(definition, 10)
    assert table(message) == [row[:20] for row in expected]
    assert "and 960 more" in " ".join(notes(message))
