"""The line chart: rounds on one even step from 0 (so straight lines stay straight on Slack's
evenly spaced categories), a value for every category in every series, and stocks that can't
be drawn left out and named."""

from __future__ import annotations

import pytest

from bot.model import run_definition
from bot.render.blocks import (
    CHART_MAX_POINTS,
    Fallback,
    chart_rounds,
    line_chart,
    run_message,
)

from ..slack.expect import block_texts

NICE_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500)


@pytest.mark.parametrize(
    ("last", "rounds"),
    [
        (0, [0]),
        (1, [0, 1]),
        (5, [0, 1, 2, 3, 4, 5]),
        (19, list(range(20))),
        (20, list(range(0, 21, 2))),
        (21, [*range(0, 21, 2), 21]),
        (37, [*range(0, 37, 2), 37]),
        (100, list(range(0, 101, 10))),
        (999, [*range(0, 901, 100), 999]),
        (1000, list(range(0, 1001, 100))),
    ],
)
def test_chart_rounds(last, rounds):
    assert chart_rounds(last) == rounds


def test_chart_rounds_share_one_step_from_0_and_end_at_the_last_round():
    for last in range(1, 1001):  # every run length the default limit allows
        rounds = chart_rounds(last)
        assert rounds[0] == 0 and rounds[-1] == last, last
        assert len(rounds) <= CHART_MAX_POINTS, last
        gaps = [b - a for a, b in zip(rounds, rounds[1:], strict=False)]
        step = gaps[0]
        assert step in NICE_STEPS, last
        assert set(gaps[:-1]) <= {step} and 0 < gaps[-1] <= step, last  # the last may be short
        # and no smaller step of the series would have done
        assert all(-(-last // s) + 1 > CHART_MAX_POINTS for s in NICE_STEPS if s < step), last


def _chart(definition: str, rounds: int) -> dict:
    return line_chart(run_definition(definition, rounds)).block["chart"]


def test_a_straight_line_over_20_rounds_stays_straight():
    chart = _chart("[Candidates] > Hires @ 3", 20)
    assert chart["axis_config"]["categories"] == [str(r) for r in range(0, 21, 2)]
    values = [point["value"] for point in chart["series"][0]["data"]]
    assert {b - a for a, b in zip(values, values[1:], strict=False)} == {6}


@pytest.mark.parametrize("rounds", [1, 5, 19, 20, 21, 37, 100, 999, 1000])
def test_every_series_has_a_value_for_every_category(rounds):
    chart = _chart("[a] > b @ 5\nb > c @ Leak(0.5)\nc > d(2) @ 1", rounds)
    categories = chart["axis_config"]["categories"]
    assert categories == [str(r) for r in chart_rounds(rounds)]
    for series in chart["series"]:
        assert [point["label"] for point in series["data"]] == categories


def test_a_run_cut_short_is_charted_to_its_last_round():
    # `a` outgrows floating point long before round 1000, which stops the run
    result = run_definition("[x] > a @ a * 3\na(1)\n[y] > b @ 1", 1000)
    last = len(result.rows) - 1
    assert result.truncated and 20 < last < 1000
    chart = line_chart(result)
    assert chart.undrawable == ["a"]
    assert chart.block["chart"]["axis_config"]["categories"] == [str(r) for r in chart_rounds(last)]


# Infinity from an infinite stock: `b` is 0 in round 0 and infinite from round 1.
INFINITE = "[s] > b @ inf\n[t] > c @ 2"
HUGE = "[t] > c @ 2\nh(1" + "0" * 400 + ") > d @ 1"  # h is an int past what a float holds


@pytest.mark.parametrize(("definition", "left_out"), [(INFINITE, "b"), (HUGE, "h")])
def test_a_stock_a_chart_cannot_draw_is_left_out_and_named(definition, left_out):
    result = run_definition(definition, 10)
    chart = line_chart(result)
    assert chart.undrawable == [left_out]
    names = [series["name"] for series in chart.block["chart"]["series"]]
    assert left_out not in names and "c" in names
    message = run_message(result)
    assert (
        f"`{left_out}` is left out of the chart: its values include infinity, NaN or numbers "
        "too large to draw." in block_texts(message["blocks"])
    )


def test_with_no_stock_to_draw_there_is_no_chart_but_the_note_stays():
    result = run_definition("[s] > b @ inf", 3)
    message = run_message(result)
    assert "data_visualization" not in [block["type"] for block in message["blocks"]]
    assert "`b` is left out of the chart" in block_texts(message["blocks"])


def test_the_chart_draws_the_first_six_stocks_it_can():
    lines = ["[s] > b @ inf", *(f"[t{i}] > c{i} @ {i}" for i in range(7))]
    result = run_definition("\n".join(lines), 5)
    chart = line_chart(result)
    assert [s["name"] for s in chart.block["chart"]["series"]] == [f"c{i}" for i in range(6)]
    notes = block_texts(run_message(result)["blocks"])
    assert "`b` is left out of the chart" in notes
    assert "The chart shows the first 6 stocks it can draw." in notes


def test_with_every_stock_it_can_draw_drawn_the_chart_claims_no_other_cut():
    lines = ["[s] > b @ inf", *(f"[t{i}] > c{i} @ {i}" for i in range(6))]
    result = run_definition("\n".join(lines), 5)
    assert line_chart(result).drawn == [f"c{i}" for i in range(6)]
    assert "The chart shows the first" not in block_texts(run_message(result)["blocks"])


def test_without_charts_nothing_is_said_about_drawing():
    message = run_message(run_definition(INFINITE, 3), fallback=Fallback.WITHOUT_CHART)
    assert "left out of the chart:" not in block_texts(message["blocks"])
