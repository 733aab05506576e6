"""A sweep or a seek kept in its reply's metadata, read back exactly; anything malformed is no
sweep or seek at all."""

from __future__ import annotations

import json

import pytest

from bot.model.scenario_syntax import Sweep, read_seek
from bot.model.scenarios import sweep_definition
from bot.model.seek import seek_definition
from bot.slack.stored import PAYLOAD_BYTES, StoredMany, run_metadata, seek_setting, stored_run

FUNNEL = "Recruiters(2)\n[Candidates] > Screens @ Recruiters * 5\nScreens > Hires @ Leak(0.3)"


def _read_back(metadata: dict):
    return stored_run({"bot_id": "B1", "ts": "1.000001", "metadata": metadata}, "B1")


def test_a_sweep_is_read_back_with_every_scenarios_final_values():
    result = sweep_definition(FUNNEL, Sweep("Recruiters", (0.1, 0.2, 1.0, 3.5)), 7)
    stored = StoredMany.of(result, {"Screens": "4"})

    back = _read_back(run_metadata(FUNNEL, 7, "1.0", many=stored))

    assert (back.definition, back.rounds, back.many) == (FUNNEL, 7, stored)
    assert [type(value) for value in back.many.finals] == [float] * 4
    assert back.rerunnable


@pytest.mark.parametrize(
    "setting",
    [
        "Recruiters: Hires >= 50 at round 20",
        "Recruiters in 0.5..2.5 step 0.25: Hires < 7.5",
        "Recruiters in -10..10: Hires > -3",
    ],
)
def test_a_seek_is_read_back_as_written(setting):
    seek = read_seek(setting)
    assert seek_setting(seek) == setting
    result = seek_definition(FUNNEL, seek, 20)
    stored = StoredMany.of(result, {})

    back = _read_back(run_metadata(FUNNEL, 20, many=stored))

    assert back.many == stored


def test_finals_too_large_for_the_metadata_are_left_out():
    stocks = [f"Stock{index:03d}WithALongNameToFillTheMetadata" for index in range(60)]
    model = "\n".join(
        [f"R(1)\n[C] > {stocks[0]} @ R"]
        + [f"{a} > {b} @ 1" for a, b in zip(stocks, stocks[1:], strict=False)]
    )
    result = sweep_definition(model, Sweep("R", tuple(range(1, 13))), 3)

    metadata = run_metadata(model, 3, many=StoredMany.of(result, {}))

    assert len(json.dumps(metadata["event_payload"])) <= PAYLOAD_BYTES
    back = _read_back(metadata)
    assert back.many.many == result.sweep and back.many.finals is None


@pytest.mark.parametrize(
    "many",
    [
        [],
        {"overrides": {"a": 1}, "sweep": {"stock": "R", "values": ["1"]}},
        {"overrides": {}, "sweep": ["R"]},
        {"overrides": {}, "sweep": {"stock": "R", "values": ["1", "x"]}},
        {"overrides": {}, "seek": "Recruiters Hires >= 5"},
        {"overrides": {}, "seek": "Recruiters: Hires >= 5", "found": 3},
    ],
)
def test_malformed_metadata_is_no_sweep_or_seek(many):
    payload = {"v": 1, "rounds": 5, "definition": FUNNEL, "stored": True, "many": many}
    back = _read_back({"event_type": "sysbot_run", "event_payload": payload})
    assert back.many is None and back.rerunnable  # a run of the definition, as it says


def test_malformed_finals_leave_the_sweep_without_a_comparison():
    many = {"overrides": {}, "sweep": {"stock": "R", "values": ["1", "2"]}, "finals": {"rows": 3}}
    payload = {"v": 1, "rounds": 5, "definition": FUNNEL, "stored": True, "many": many}
    back = _read_back({"event_type": "sysbot_run", "event_payload": payload})
    assert back.many == StoredMany(Sweep("R", (1, 2)), {})


def test_options_that_would_make_the_metadata_too_large_keep_nothing_to_rerun():
    overrides = {f"Stock{index:04d}": "1" for index in range(700)}
    stored = StoredMany(Sweep("R", (1, 2)), overrides)

    metadata = run_metadata(FUNNEL, 5, many=stored)

    assert len(json.dumps(metadata["event_payload"])) <= PAYLOAD_BYTES
    assert not _read_back(metadata).rerunnable
