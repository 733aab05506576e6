"""Comparing two runs of a model: what each stock ends at, and when the runs part ways."""

from __future__ import annotations

from dataclasses import dataclass

from bot.model.run import RunResult


@dataclass(frozen=True)
class StockChange:
    name: str
    before: object | None
    after: object | None
    first_divergence: int | None
    rounds_in_common: int = 0

    @property
    def only_extended(self) -> bool:
        """The runs agree on every round both have; one just goes on longer."""
        return self.first_divergence is not None and self.first_divergence >= self.rounds_in_common

    @property
    def change(self):
        if self.before is None or self.after is None:
            return None
        try:
            return self.after - self.before
        except (TypeError, OverflowError):
            return None


def compare_runs(before: RunResult, after: RunResult) -> list[StockChange]:
    """One entry per stock in either run, in the new run's order, then stocks that went away."""
    names = after.stocks + [name for name in before.stocks if name not in after.stocks]
    return [_compare_stock(name, before, after) for name in names]


def _compare_stock(name: str, before: RunResult, after: RunResult) -> StockChange:
    old, new = _series(before, name), _series(after, name)
    return StockChange(
        name,
        old[-1] if old else None,
        new[-1] if new else None,
        _first_divergence(old, new),
        min(len(old), len(new)),
    )


def _series(result: RunResult, name: str) -> list:
    if name not in result.stocks or not result.rows:
        return []
    column = result.stocks.index(name) + 1
    return [row[column] for row in result.rows]


def _first_divergence(old: list, new: list) -> int | None:
    """The first round whose values differ, or where only one run goes on; None if the same."""
    for round_number, (a, b) in enumerate(zip(old, new, strict=False)):
        if not _same(a, b):
            return round_number
    return None if len(old) == len(new) else min(len(old), len(new))


def _same(a, b) -> bool:
    return a == b or (a != a and b != b)  # NaN equals NaN here: both runs agree on it
