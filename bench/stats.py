"""Summaries of timings, in milliseconds."""

from __future__ import annotations

import statistics


def ms(seconds: float) -> float:
    return seconds * 1000.0


def p99(values: list[float]) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[98]


def summary(seconds: list[float]) -> dict[str, float]:
    """n, median, p99, min and max of durations given in seconds, in ms."""
    return {
        "n": len(seconds),
        "median_ms": round(ms(statistics.median(seconds)), 3),
        "p99_ms": round(ms(p99(seconds)), 3),
        "min_ms": round(ms(min(seconds)), 3),
        "max_ms": round(ms(max(seconds)), 3),
    }


def ratio(measured: float, baseline: float) -> float | None:
    return round(measured / baseline, 2) if baseline > 0 else None


def median_p99(figures: dict[str, float]) -> str:
    return f"{figures['median_ms']:.2f} / {figures['p99_ms']:.2f} ms"


def min_median_max(figures: dict[str, float]) -> str:
    return f"{figures['min_ms']:.0f} / {figures['median_ms']:.0f} / {figures['max_ms']:.0f} ms"
