"""Sweeps and goal seeks end to end (issue 14): from `/model`, a mention and a thread reply to an
earlier run, through the real server to the stand-in, every scenario checked against `systems`."""

from __future__ import annotations

import csv
import io

from bot.model.scenario_syntax import scenario_label
from bot.render.blocks import ACTION_CSV, ACTION_EDIT, ACTION_MORE_ROUNDS
from bot.render.numbers import display_number
from slack_standin.blockkit import BlockChecker
from tests.model.scenario_oracle import FUNNEL, edited, systems_with
from tests.slack.expect import block_texts, bot_replies, systems_table, table

GOAL = "find Recruiters: Hires >= 50 at round 20"


def finals_table(definition: str, stock: str, values: list, rounds: int) -> list[list[str]]:
    """The sweep's table as `systems` computes it: each scenario's final values."""
    rows = []
    for value in values:
        stocks, run = systems_with(definition, stock, value, rounds)
        rows.append([scenario_label(stock, value), *map(display_number, run[-1][1:])])
    return [["scenario", *stocks], *rows]


def sweep_csv_rows(definition: str, stock: str, values: list, rounds: int) -> list[list[str]]:
    """Every scenario's rows from `systems`, in full precision, under a scenario column."""
    rows = []
    for value in values:
        stocks, run = systems_with(definition, stock, value, rounds)
        label = scenario_label(stock, value)
        rows += [[label, str(row[0]), *map(repr, row[1:])] for row in run]
    return [["scenario", "round", *stocks], *rows]


def chart_of(message: dict) -> dict:
    return next(b for b in message["blocks"] if b["type"] == "data_visualization")


def assert_sweep(message: dict, values: list, rounds: int, definition: str = FUNNEL) -> None:
    """The table and every line of the chart are what `systems` computes."""
    assert table(message) == finals_table(definition, "Recruiters", values, rounds)
    chart = chart_of(message)
    stock = chart["title"].removesuffix(" by scenario")
    for series in chart["chart"]["series"]:
        value = int(series["name"].removeprefix("Recruiters="))
        stocks, run = systems_with(definition, "Recruiters", value, rounds)
        column = stocks.index(stock) + 1
        assert [p["value"] for p in series["data"]] == [
            run[int(p["label"])][column] for p in series["data"]
        ]


def assert_found(message: dict, value: int, failing: int) -> None:
    """The answer holds at `value` and fails at `failing` when `systems` runs them, and the
    table is the run at `value`."""
    hires = {v: systems_with(FUNNEL, "Recruiters", v, 20)[1][20][-1] for v in (value, failing)}
    assert hires[value] >= 50 > hires[failing]
    assert table(message) == systems_table(edited(FUNNEL, "Recruiters", value), 20)
    text = block_texts(message["blocks"])
    assert f"`Recruiters={value}` is the smallest value" in text
    assert f"with `Recruiters={failing}` it fails" in text


# --- /model --------------------------------------------------------------------------------------


def test_a_sweep_from_the_command(slack):
    slack.command(f"Recruiters=1..5 rounds=20\n```\n{FUNNEL}\n```")

    [message] = slack.standin.messages("C1")
    assert_sweep(message, [1, 2, 3, 4, 5], 20)
    assert "goes from 18 with `Recruiters=1` to 108 with `Recruiters=5`" in message["text"]
    assert len(chart_of(message)["chart"]["series"]) == 5
    many = message["metadata"]["event_payload"]["many"]
    assert many["sweep"] == {"stock": "Recruiters", "values": ["1", "2", "3", "4", "5"]}


def test_a_sweeps_csv_is_every_scenarios_rows_as_systems_computes_them(slack):
    slack.command(f"Recruiters=1,2,4,8 rounds=12\n```\n{FUNNEL}\n```")
    [message] = slack.standin.messages("C1")

    slack.click("C1", message, ACTION_CSV)

    [file] = slack.standin.files
    rows = list(csv.reader(io.StringIO(slack.standin.file_content(file["id"]).decode())))
    assert rows == sweep_csv_rows(FUNNEL, "Recruiters", [1, 2, 4, 8], 12)


def test_more_rounds_on_a_sweep_reruns_the_sweep(slack):
    slack.command(f"Recruiters=1..3 rounds=10\n```\n{FUNNEL}\n```")
    [message] = slack.standin.messages("C1")

    slack.click("C1", message, ACTION_MORE_ROUNDS)

    [rerun] = bot_replies(slack.standin, "C1", message["ts"])
    assert_sweep(rerun, [1, 2, 3], 20)
    assert "Compared with the sweep before" in block_texts(rerun["blocks"])


def test_edit_and_rerun_on_a_sweep_reruns_the_sweep_with_the_edited_model(slack):
    slack.command(f"Recruiters=1..3 rounds=10\n```\n{FUNNEL}\n```")
    [message] = slack.standin.messages("C1")
    slack.click("C1", message, ACTION_EDIT)
    [view] = slack.standin.views

    changed = FUNNEL.replace("Recruiters * 5", "Recruiters * 10")
    slack.submit_view(view, changed, "12")

    [rerun] = bot_replies(slack.standin, "C1", message["ts"])
    assert_sweep(rerun, [1, 2, 3], 12, changed)
    assert "ran a model from the editor" in block_texts(rerun["blocks"])


def test_a_seek_from_the_command(slack):
    slack.command(f"{GOAL}\n```\n{FUNNEL}\n```")

    [message] = slack.standin.messages("C1")
    assert_found(message, 3, 2)
    assert message["metadata"]["event_payload"]["many"]["found"] == "3"


def test_a_seek_with_no_answer_shows_the_values_tried(slack):
    slack.command(f"find Recruiters in 0..3: Hires >= 5000\nrounds=20\n```\n{FUNNEL}\n```")

    [message] = slack.standin.messages("C1")
    text = block_texts(message["blocks"])
    assert "holds for no value of `Recruiters` tried from 0 to 3" in text
    tried = table(message)
    assert tried[0] == ["Recruiters", "Hires at round 20", "goal"]
    for value, hires, goal in tried[1:]:
        run = systems_with(FUNNEL, "Recruiters", int(value), 20)[1]
        assert (hires, goal) == (display_number(run[20][-1]), "fails")


def test_two_swept_stocks_are_a_clear_error_naming_both(slack):
    response = slack.command("Recruiters=1..3 Screens=1,2\n" + FUNNEL)

    assert slack.standin.messages("C1") == []
    text = block_texts(response.json()["blocks"])
    assert "`Recruiters` and `Screens` are each given several values" in text


# --- mentions ------------------------------------------------------------------------------------


def test_a_sweep_from_a_mention(slack):
    message = slack.user_message(
        f"<@UBOT> what if Recruiters=0.5..2 step 0.5 rounds=20\n```\n{FUNNEL}\n```"
    )

    slack.event(slack.as_mention(message))

    [reply] = bot_replies(slack.standin, "C1", message["ts"])
    assert [row[0] for row in table(reply)[1:]] == [
        "Recruiters=0.5",
        "Recruiters=1.0",
        "Recruiters=1.5",
        "Recruiters=2.0",
    ]
    expected = finals_table(FUNNEL, "Recruiters", [0.5, 1.0, 1.5, 2.0], 20)
    assert table(reply) == expected


def test_a_seek_from_a_mention(slack):
    message = slack.user_message(f"<@UBOT> {GOAL}\n```\n{FUNNEL}\n```")

    slack.event(slack.as_mention(message))

    [reply] = bot_replies(slack.standin, "C1", message["ts"])
    assert_found(reply, 3, 2)


def test_editing_a_mention_reruns_its_sweep_in_place(slack):
    message = slack.user_message(f"<@UBOT> Recruiters=1..3 rounds=20\n```\n{FUNNEL}\n```")
    slack.event(slack.as_mention(message))

    slack.edit("C1", message["ts"], f"<@UBOT> Recruiters=2,4 rounds=20\n```\n{FUNNEL}\n```")

    [reply] = bot_replies(slack.standin, "C1", message["ts"])
    assert_sweep(reply, [2, 4], 20)
    assert "Updated after your edit" in block_texts(reply["blocks"])


def test_a_seek_in_a_direct_message(slack):
    message = slack.user_message(f"{GOAL}\n{FUNNEL}", channel="D1")

    slack.event(message)

    [reply] = bot_replies(slack.standin, "D1", message["ts"])
    assert_found(reply, 3, 2)


# --- thread replies ------------------------------------------------------------------------------


def _first_run(slack) -> str:
    message = slack.user_message(f"rounds=20\n```systems\n{FUNNEL}\n```")
    slack.event(message)
    return message["ts"]


def _reply(slack, parent: str, text: str) -> dict:
    slack.event(slack.user_message(text, thread_ts=parent))
    return bot_replies(slack.standin, "C1", parent)[-1]


def test_a_sweep_as_a_thread_reply_to_a_run_then_a_rerun_of_the_sweep(slack):
    parent = _first_run(slack)

    sweep = _reply(slack, parent, "Recruiters=1,2,4,8")
    assert_sweep(sweep, [1, 2, 4, 8], 20)

    rerun = _reply(slack, parent, "rounds=30")
    assert_sweep(rerun, [1, 2, 4, 8], 30)
    lines = block_texts(rerun["blocks"])
    assert "Compared with the sweep before:" in lines
    stocks, old = systems_with(FUNNEL, "Recruiters", 1, 20)
    _, new = systems_with(FUNNEL, "Recruiters", 1, 30)
    hires = f"Hires {display_number(old[-1][-1])} → {display_number(new[-1][-1])}"
    assert "`Recruiters=1`: " in lines and hires in lines


def test_a_changed_flow_line_reruns_the_sweep_with_it(slack):
    parent = _first_run(slack)
    _reply(slack, parent, "Recruiters=1..3")

    rerun = _reply(slack, parent, "[Candidates] > Screens @ Recruiters * 10")

    changed = FUNNEL.replace("Recruiters * 5", "Recruiters * 10")
    assert_sweep(rerun, [1, 2, 3], 20, changed)


def test_one_value_for_the_swept_stock_runs_once_with_it(slack):
    parent = _first_run(slack)
    _reply(slack, parent, "Recruiters=1..3")

    single = _reply(slack, parent, "Recruiters=7")

    assert table(single) == systems_table(edited(FUNNEL, "Recruiters", 7), 20)


def test_a_seek_as_a_thread_reply_then_another_goal(slack):
    parent = _first_run(slack)

    found = _reply(slack, parent, GOAL)
    assert_found(found, 3, 2)

    again = _reply(slack, parent, "find Recruiters: Hires >= 100 at round 20")
    text = block_texts(again["blocks"])
    assert "the answer was `Recruiters=3`, now `Recruiters=5`" in text
    hires = {v: systems_with(FUNNEL, "Recruiters", v, 20)[1][20][-1] for v in (4, 5)}
    assert hires[5] >= 100 > hires[4]


# --- Block Kit limits ----------------------------------------------------------------------------

LONG = "RecruitersAvailableToScreenCandidatesEveryWeekAcrossAllOfTheRegions"


def _wide_model() -> str:
    """A swept stock with a long name read by 24 stocks with long names."""
    names = [
        f"Stage{index:02d}OfTheHiringPipelineWithAVeryLongDescriptiveName" for index in range(24)
    ]
    lines = [f"{LONG}(1)", f"[Candidates] > {names[0]} @ {LONG} * 3"]
    lines += [f"{a} > {b} @ Conversion(0.5)" for a, b in zip(names, names[1:], strict=False)]
    return "\n".join(lines)


def test_twelve_scenarios_with_long_names_fit_block_kit(slack):
    model = _wide_model()
    slack.command(f"{LONG}=1..12 rounds=30\n```\n{model}\n```")

    [message] = slack.standin.messages("C1")
    assert BlockChecker("message").check_blocks(message["blocks"]) == []
    assert chart_of(message)  # the richest form was accepted: no fallback
    rows = table(message)
    assert len(rows) == 13 and len(rows[0]) == 20
    assert rows == [row[:20] for row in finals_table(model, LONG, list(range(1, 13)), 30)]
    series = chart_of(message)["chart"]["series"]
    assert [s["name"] for s in series] == ["1", "3", "5", "8", "10", "12"]
    notes = block_texts(message["blocks"])
    assert "for 6 of the 12 scenarios" in notes and "Not in the table" in notes
