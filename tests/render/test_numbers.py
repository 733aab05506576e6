"""Numbers as people read them, and as JSON carries them."""

from __future__ import annotations

import json
import math

import pytest

from bot.model import run_definition
from bot.render.data import result_csv, result_json
from bot.render.numbers import display_number, json_number


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0, "0"),
        (7, "7"),
        (-3, "-3"),
        (1234567890123456, "1234567890123456"),
        (10**16, "1.000e+16"),
        (-(10**20), "-1.000e+20"),
        (10**400, "1.000e+400"),
        (0.1 + 0.2, "0.3"),
        (4.1499999999999995, "4.15"),
        (2.0, "2"),
        (0.5, "0.5"),
        (-0.0, "0"),
        (123456.789, "123457"),
        (0.000123456789, "0.000123457"),
        (1e-5, "1e-05"),
        (1e15, "1e+15"),
        (float("inf"), "∞"),
        (float("-inf"), "-∞"),
        (float("nan"), "NaN"),
    ],
)
def test_display_number(value, shown):
    assert display_number(value) == shown


@pytest.mark.parametrize(
    ("value", "carried"),
    [(float("inf"), "inf"), (float("-inf"), "-inf"), (float("nan"), "nan"), (3, 3), (2.5, 2.5)],
)
def test_json_number(value, carried):
    assert json_number(value) == carried


def test_json_numbers_keep_ints_as_ints_and_floats_exact():
    assert type(json_number(3)) is int
    assert json_number(0.1 + 0.2) == 0.30000000000000004


def test_result_json_is_valid_json_with_inf_as_a_string():
    result = run_definition("a(inf) > b @ 1", 1)
    payload = result_json(result)
    assert payload == {
        "columns": ["round", "a", "b"],
        "rows": [[0, "inf", 0], [1, "inf", 1]],
        "warnings": [],
        "truncated": False,
    }
    assert json.loads(json.dumps(payload, allow_nan=False)) == payload


def test_result_json_of_nan():
    payload = result_json(run_definition("a(inf - inf) > b @ 1", 1))
    assert payload["rows"][0][1] == "nan"


def test_result_csv_keeps_full_precision():
    text = result_csv(run_definition("[a] > b @ 0.1 + 0.2", 2))
    assert text == "round,b\n0,0\n1,0.30000000000000004\n2,0.6000000000000001\n"
    assert math.isclose(float(text.split("\n")[2].split(",")[1]), 0.1 + 0.2)
