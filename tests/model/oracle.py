"""What `systems` itself says about a definition, and an exact comparison of rows with it."""

from __future__ import annotations

import math

from systems.parse import parse

from bot.model.prepare import prepare_definition

REPR_MARKERS = ("('", "F(", "Traceback", "<class")


def systems_run(text: str, rounds: int) -> tuple[list[str], list[list]]:
    """Visible stock names and rows, straight from `systems`' own `Model.run`."""
    model = parse(text, tracebacks=False)
    snapshots = model.run(rounds)
    visible = [stock.name for stock in model.stocks if stock.show]
    return visible, [[i, *(snap[name] for name in visible)] for i, snap in enumerate(snapshots)]


def exact(value) -> tuple:
    """A key equal only for the same type and, for floats, the same bits (any NaN equals NaN)."""
    if isinstance(value, float):
        return ("float", "nan" if math.isnan(value) else value.hex())
    return (type(value).__name__, value)


def exact_rows(rows: list[list]) -> list[list[tuple]]:
    return [[exact(value) for value in row] for row in rows]


def assert_same_as_systems(result, text: str, rounds: int) -> None:
    stocks, rows = systems_run(text, rounds)
    assert result.stocks == stocks
    assert exact_rows(result.rows) == exact_rows(rows)


def prepared_lines(definition: str) -> list[str]:
    return prepare_definition(definition)[0].split("\n")


def assert_plain(*texts: str | None) -> None:
    """No Python reprs or token tuples in anything shown to a person."""
    for text in texts:
        for marker in REPR_MARKERS:
            assert marker not in (text or ""), f"{marker!r} in {text!r}"
