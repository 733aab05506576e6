"""A sweep and a seek as JSON, CSV and terminal text."""

from __future__ import annotations

import csv
import io
import json

from bot.model.scenario_syntax import Sweep, read_seek
from bot.model.scenarios import sweep_definition
from bot.model.seek import seek_definition
from bot.render.data import seek_json, sweep_csv, sweep_json
from bot.render.text import (
    finals_text,
    samples_text,
    seek_answer,
    seek_text,
    sweep_summary,
    sweep_text,
    sweep_warnings,
    table_text,
)

from ..model.scenario_oracle import DIVIDED, FUNNEL


def _sweep(values, rounds=20, text=FUNNEL, stock="Recruiters", **options):
    return sweep_definition(text, Sweep(stock, tuple(values)), rounds, **options)


# --- the summary ---------------------------------------------------------------------------------


def test_the_summary_follows_the_last_stock_that_ends_differently():
    assert sweep_summary(_sweep([1, 2, 3, 4, 5])) == (
        "`Hires` at round 20 goes from 18 with `Recruiters=1` to 108 with `Recruiters=5`."
    )


def test_the_summary_of_one_scenario():
    assert sweep_summary(_sweep([4])) == "`Hires` at round 20 is 90 with `Recruiters=4`."


def test_the_summary_when_nothing_ends_differently():
    result = _sweep([1, 2], text="R(1)\n[C] > S @ 5", stock="R")
    assert sweep_summary(result) == "`S` at round 20 is 100 in every scenario, from `R=1` to `R=2`."


def test_the_summary_leaves_out_failed_scenarios():
    result = _sweep([0, 1, 5], 3, text=DIVIDED, stock="R")
    # `T` ends at 2 in both, so the summary follows `S`
    assert sweep_summary(result) == "`S` at round 3 goes from 28 with `R=1` to 4 with `R=5`."


def test_the_summary_when_no_scenario_ran():
    result = _sweep([0], 3, text=DIVIDED, stock="R")
    assert sweep_summary(result) == "No scenario ran: every value of `R` tried broke the model."


def test_the_summary_compares_the_last_round_every_scenario_reached():
    text = "[x] > a @ a * R\na(1)\nR(2)"  # past 10^308 the capacity check overflows
    result = _sweep([1, 100], 200, text=text, stock="R")
    slow, fast = result.scenarios
    assert not slow.result.truncated and fast.result.truncated
    common = len(fast.result.rows) - 1
    assert sweep_summary(result).startswith(f"`a` at round {common} goes from ")


# --- tables and warnings -------------------------------------------------------------------------


def test_finals_are_one_row_per_scenario():
    assert finals_text(_sweep([1, 2, 10])).split("\n") == [
        "scenario       Recruiters  Screens  Onsites  Hires",
        "Recruiters=1   1           5        2        18",
        "Recruiters=2   2           10       5        36",
        "Recruiters=10  10          50       25       216",
    ]


def test_the_sweep_text_is_the_summary_the_finals_and_each_scenarios_table():
    result = _sweep([1, 2], 2)
    first, second = result.scenarios
    assert sweep_text(result) == "\n\n".join(
        [
            sweep_summary(result),
            finals_text(result),
            f"Recruiters=1\n{table_text(first.result)}",
            f"Recruiters=2\n{table_text(second.result)}",
        ]
    )


def test_warnings_every_scenario_has_are_given_once():
    result = _sweep([1, 5], 3, text="R(1, 3) > S @ 1 # a note", stock="R")
    assert sweep_warnings(result) == [
        "Line 1: the comment after the flow was ignored (`systems` itself cannot read a comment "
        "there).",
        "R=5: `R` starts at 5, above its maximum 3; `systems` keeps the higher value.",
    ]


def test_the_sweeps_own_warnings_come_last():
    result = _sweep([1, 2], 3)
    result.warnings.append("Stopped after 2 of 3 scenarios: the runs took longer than 1 s.")
    assert sweep_warnings(result)[-1] == result.warnings[-1]


# --- JSON and CSV --------------------------------------------------------------------------------


def test_sweep_json_is_each_scenarios_run_under_its_value():
    payload = json.loads(json.dumps(sweep_json(_sweep([0, 1], 2, text=DIVIDED, stock="R"))))
    assert set(payload) == {"stock", "scenarios", "warnings", "truncated"}
    broken, ran = payload["scenarios"]
    assert broken == {
        "value": 0,
        "error": {
            "message": "Division by zero in round 1.",
            "line": 1,
            "column": 11,
            "hint": broken["error"]["hint"],
        },
    }
    assert set(ran) == {"value", "columns", "rows", "warnings", "truncated"}
    assert ran["columns"] == ["round", "S", "R", "T"]
    assert ran["rows"] == [[0, 0, 1, 0], [1, 10, 1, 0], [2, 19, 1, 1]]


def test_sweep_json_carries_infinity_as_a_string():
    payload = sweep_json(_sweep([1], 1, text="a(inf) > b @ R\nR(1)", stock="R"))
    assert payload["scenarios"][0]["rows"][0] == [0, "inf", 0, 1]


def test_sweep_csv_has_a_scenario_column_and_every_row():
    result = _sweep([0, 1, 2], 2, text=DIVIDED, stock="R")
    rows = list(csv.reader(io.StringIO(sweep_csv(result))))
    assert rows[0] == ["scenario", "round", "S", "R", "T"]
    assert [row[:2] for row in rows[1:]] == [
        ["R=1", "0"], ["R=1", "1"], ["R=1", "2"], ["R=2", "0"], ["R=2", "1"], ["R=2", "2"]
    ]  # fmt: skip
    assert rows[-1] == ["R=2", "2", "9.0", "2", "1"]  # 10 / 2 is a float


def test_sweep_csv_when_no_scenario_ran():
    assert sweep_csv(_sweep([0], 2, text=DIVIDED, stock="R")) == "scenario\n"


def test_seek_json_answers_with_the_run_at_the_value_found():
    payload = seek_json(seek_definition(FUNNEL, read_seek("Recruiters: Hires >= 50 at round 20")))
    seek = payload.pop("seek")
    assert {key: seek[key] for key in ("value", "holds", "failing_value", "runs")} == {
        "value": 3, "holds": True, "failing_value": 2, "runs": 10
    }  # fmt: skip
    assert (seek["range"], seek["step"]) == ([0, 100], 1)
    assert seek["samples"][:4] == [
        {"value": 0, "target_value": 0, "holds": False},
        {"value": 1, "target_value": 18, "holds": False},
        {"value": 2, "target_value": 36, "holds": False},
        {"value": 3, "target_value": 54, "holds": True},
    ]
    assert set(payload) == {"columns", "rows", "warnings", "truncated"}
    assert payload["rows"][-1] == [20, 3, 15, 7, 54]


def test_seek_json_without_an_answer_is_an_error_and_the_values_tried():
    result = seek_definition(DIVIDED, read_seek("R: T >= 5 at round 2"))
    payload = json.loads(json.dumps(seek_json(result)))
    assert set(payload) == {"error", "seek"}
    assert payload["error"]["message"].startswith("With `R=0` the model can't run")
    assert payload["seek"] == {
        "runs": 1,
        "range": [0, 100],
        "step": 1,
        "samples": [{"value": 0, "target_value": None, "holds": None}],
    }


# --- a seek as text ------------------------------------------------------------------------------


def test_the_answer_in_a_sentence():
    result = seek_definition(FUNNEL, read_seek("Recruiters: Hires >= 50 at round 20"))
    assert seek_answer(result) == (
        "`Recruiters=3` is the smallest value for which `Hires >= 50` at round 20 (`Hires` is "
        "54); with `Recruiters=2` it fails (`Hires` is 36). 10 runs, searching 0 to 100 in steps "
        "of 1."
    )
    assert seek_text(result) == f"{seek_answer(result)}\n\n{table_text(result.run)}"


def test_the_largest_value_and_a_decimal_step():
    result = seek_definition(
        "[C] > S @ 100\nS > T @ Leak(r)\nr(0.1)", read_seek("r in 0..1 step 0.05: T <= 300")
    )
    assert seek_answer(result) == (
        "`r=0.05` is the largest value for which `T <= 300` at round 10 (`T` is 194); with "
        "`r=0.1` it fails (`T` is 347). 7 runs, searching 0.0 to 1.0 in steps of 0.05."
    )


def test_the_values_tried_as_a_table():
    result = seek_definition(FUNNEL, read_seek("Recruiters in 0..3: Hires >= 500 at round 20"))
    assert samples_text(result).split("\n") == [
        "Recruiters  Hires at round 20  goal",
        "0           0                  fails",
        "1           18                 fails",
        "2           36                 fails",
        "3           54                 fails",
    ]
    stopped = seek_definition(DIVIDED, read_seek("R: T >= 5 at round 2"))
    assert samples_text(stopped).split("\n")[1] == "0  -             not known"
