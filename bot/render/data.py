"""Machine-readable rendering: the JSON shared by the CLI and the API, and CSV; for one run, a
sweep's scenarios and a seek's answer."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable

from bot.model import ModelError, RunResult, Sample, Scenario, SeekResult, SweepResult
from bot.model.scenario_syntax import as_value, scenario_label
from bot.render.numbers import json_number
from bot.render.text import ran_scenarios


def result_json(result: RunResult) -> dict:
    rows = result.rows
    if not _finite(map(sum, rows)):  # the usual run needs no copy: one sum of its rows' sums
        rows = [row if _finite(row) else [json_number(v) for v in row] for row in rows]
    return {
        "columns": result.columns,
        "rows": rows,
        "warnings": result.warnings,
        "truncated": result.truncated,
    }


def _finite(numbers: Iterable) -> bool:
    """True when no value needs json_number, summed in C instead of a call per value. A sum of
    finite values can still overflow; json_number then leaves them as they are."""
    try:
        return math.isfinite(sum(numbers))
    except OverflowError:  # an int too large for a float, next to a float
        return False


def error_json(error: ModelError) -> dict:
    return {"error": error.to_dict()}


def result_csv(result: RunResult) -> str:
    """Every round and stock at full precision (Python's shortest round-tripping repr)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(result.columns)
    writer.writerows(result.rows)
    return buffer.getvalue()


def sweep_json(result: SweepResult) -> dict:
    """Each scenario as one run's JSON (or its error) under the value it started from."""
    return {
        "stock": result.sweep.stock,
        "scenarios": [
            {"value": scenario.value, **_scenario_json(scenario)} for scenario in result.scenarios
        ],
        "warnings": result.warnings,
        "truncated": result.truncated,
    }


def _scenario_json(scenario: Scenario) -> dict:
    if scenario.error is not None:
        return error_json(scenario.error)
    return result_json(scenario.result)


def seek_json(result: SeekResult) -> dict:
    """The answer and the run at it; or, with no answer, the error and the values tried."""
    search = {
        "runs": result.runs,
        "range": [result.grid.value(0), result.grid.high],
        "step": as_value(result.grid.step),
        "samples": [_sample_json(sample) for sample in result.samples_by_value],
    }
    if result.answer is None:
        return {**error_json(result.problem), "seek": search}
    answer = {"value": result.answer.value, "holds": True, "failing_value": result.failing.value}
    return {"seek": {**answer, **search}, **result_json(result.run)}


def _sample_json(sample: Sample) -> dict:
    reached = None if sample.reached is None else json_number(sample.reached)
    return {"value": sample.value, "target_value": reached, "holds": sample.holds}


def sweep_csv(result: SweepResult) -> str:
    """Every scenario's rows in one table, each row led by its scenario (`Recruiters=1`)."""
    ran = ran_scenarios(result)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["scenario", *(ran[0].result.columns if ran else [])])
    for scenario in ran:
        label = scenario_label(result.sweep.stock, scenario.value)
        writer.writerows([label, *row] for row in scenario.result.rows)
    return buffer.getvalue()
