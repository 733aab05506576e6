"""A sweep and a seek as Block Kit: within Slack's limits at every fallback, and saying what
was left out."""

from __future__ import annotations

import pytest

from bot.model import Limits
from bot.model.scenario_syntax import Sweep, read_seek
from bot.model.scenarios import sweep_definition
from bot.model.seek import seek_definition
from bot.render.blocks import Fallback, sections, seek_message, sweep_chart, sweep_message
from bot.render.text import most_changed_stock, sweep_comparison
from slack_standin.blockkit import BlockChecker

from ..model.clock import work_clock
from ..model.scenario_oracle import DIVIDED, FUNNEL
from ..slack.expect import block_texts


def _sweep(values, rounds=20, text=FUNNEL, stock="Recruiters"):
    return sweep_definition(text, Sweep(stock, tuple(values)), rounds)


def _problems(message: dict) -> list[str]:
    return BlockChecker("message").check_blocks(message["blocks"])


@pytest.mark.parametrize("fallback", list(Fallback))
def test_every_fallback_is_within_the_limits(fallback):
    message = sweep_message(_sweep(range(1, 13)), fallback=fallback)
    assert _problems(message) == []
    types = [block["type"] for block in message["blocks"]]
    assert ("table" in types) == (fallback is not Fallback.PLAIN_TABLE)
    assert ("data_visualization" in types) == (fallback is Fallback.FULL)


def test_the_chart_follows_the_stock_that_changes_most():
    # `S` ends 10 times apart across R=1 and R=10; `T` the same, but from 2: S spreads more
    result = _sweep([1, 10], 3, DIVIDED, "R")
    assert most_changed_stock(result) == "S"
    chart = sweep_chart(result)
    assert chart.block["title"] == "S by scenario"
    assert [series["name"] for series in chart.block["chart"]["series"]] == ["R=1", "R=10"]


def test_a_scenario_that_cant_run_is_a_row_and_a_note():
    message = sweep_message(_sweep([0, 1, 5], 3, DIVIDED, "R"))
    rows = next(b for b in message["blocks"] if b["type"] == "table")["rows"]
    assert [cell["text"] for cell in rows[1]] == ["R=0", "error", "error", "error"]
    assert "With `R=0` the model can't run" in block_texts(message["blocks"])


def test_a_rerun_compares_each_scenario_with_the_one_before():
    before = {
        1: {"Recruiters": 1, "Screens": 5, "Onsites": 2, "Hires": 18},
        9: {"Recruiters": 9, "Screens": 45, "Onsites": 22, "Hires": 198},
    }
    lines = sweep_comparison(_sweep([1, 2], 20), before)
    assert lines == [
        "`Recruiters=1`: the same final values.",
        "`Recruiters=2`: new in this sweep.",
        "Not in this sweep: `Recruiters=9`.",
    ]
    # 30 rounds instead of 20: only `Hires` ends elsewhere
    assert sweep_comparison(_sweep([1], 30), {1: before[1]}) == ["`Recruiters=1`: Hires 18 → 28."]
    # 1.0 is a float run, not the int 1: `systems` keeps the two apart, and so does this
    assert sweep_comparison(_sweep([1.0], 20), {1: before[1]}) == [
        "`Recruiters=1.0`: new in this sweep.",
        "Not in this sweep: `Recruiters=1`.",
    ]


def test_a_seek_found_shows_the_answer_and_the_run():
    result = seek_definition(FUNNEL, read_seek("Recruiters: Hires >= 50 at round 20"))
    message = seek_message(result, heading="h", before=4, rerun=True)
    text = block_texts(message["blocks"])
    assert "the answer was `Recruiters=4`, now `Recruiters=3`" in text
    assert "`Recruiters=3` is the smallest value for which `Hires &gt;= 50`" in text
    assert _problems(message) == []


@pytest.mark.parametrize("fallback", list(Fallback))
def test_a_seek_without_an_answer_shows_the_values_tried(fallback):
    result = seek_definition(FUNNEL, read_seek("Recruiters in 0..3: Hires >= 5000 at round 20"))
    message = seek_message(result, fallback=fallback)
    assert _problems(message) == []
    text = block_texts(message["blocks"])
    assert "holds for no value" in text and "4 runs, searching 0 to 3" in text


def test_a_sweep_stopped_by_the_budget_says_how_many_scenarios_ran_and_shows_them():
    # 0.1 s a round and a 1 s budget: the fourth 3-round scenario is cut, the fifth never runs
    with work_clock(per_round=0.1):
        result = sweep_definition(
            FUNNEL, Sweep("Recruiters", (1, 2, 3, 4, 5)), 3, limits=Limits(time_budget_seconds=1)
        )
    message = sweep_message(result)
    assert message["blocks"][0]["text"]["text"].startswith("*4 of 5 scenarios of `Recruiters`*")
    rows = next(b for b in message["blocks"] if b["type"] == "table")["rows"]
    assert [row[0]["text"] for row in rows[1:]] == [f"Recruiters={v}" for v in (1, 2, 3, 4)]
    assert "Stopped after 4 of 5 scenarios" in block_texts(message["blocks"])


def test_a_seek_stopped_by_the_budget_says_how_many_runs_and_shows_them():
    with work_clock(per_round=0.1):
        result = seek_definition(
            FUNNEL,
            read_seek("Recruiters: Hires >= 50 at round 4"),
            limits=Limits(time_budget_seconds=1),
        )
    message = seek_message(result)
    text = block_texts(message["blocks"])
    assert f"The search stopped after {result.runs} runs" in text
    rows = next(b for b in message["blocks"] if b["type"] == "table")["rows"]
    assert len(rows) == 1 + result.runs


def test_a_long_comparison_is_split_into_sections_within_the_limits():
    lines = [f"`Stock{index}`: " + "x" * 700 for index in range(12)]
    blocks = sections(lines)
    assert len(blocks) == 3  # 4 lines of 711 characters to a section
    assert BlockChecker("message").check_blocks(blocks) == []
    assert "\n".join(b["text"]["text"] for b in blocks) == "\n".join(lines)
