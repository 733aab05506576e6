"""Machine-readable rendering: the JSON shared by the CLI and the API, and CSV."""

from __future__ import annotations

import csv
import io
import math

from bot.model import ModelError, RunResult
from bot.render.numbers import json_number


def result_json(result: RunResult) -> dict:
    return {
        "columns": result.columns,
        "rows": [row if _finite(row) else [json_number(v) for v in row] for row in result.rows],
        "warnings": result.warnings,
        "truncated": result.truncated,
    }


def _finite(row: list) -> bool:
    """True when no value needs json_number (one C-level sum instead of a call per value)."""
    try:
        return math.isfinite(sum(row))
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
