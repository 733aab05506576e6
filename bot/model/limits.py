"""Limits on what one run may cost. bot.settings fills them from the environment."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_rounds: int = 1000
    default_rounds: int = 10
    max_definition_chars: int = 20_000
    time_budget_seconds: float = 1.0
    max_stocks: int = 1000
    max_nesting: int = 50
    # Wall-clock seconds a run may take at most, when its caller must answer by then (a Slack
    # request's deadline); without it, WALL_BACKSTOP times the CPU budget.
    wall_seconds: float | None = None
