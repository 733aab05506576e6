"""Limits on what one run may cost, each configurable by environment variable."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_rounds: int = 1000
    default_rounds: int = 10
    max_definition_chars: int = 20_000
    time_budget_seconds: float = 1.0
    max_stocks: int = 1000
    max_nesting: int = 50

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Limits:
        """Read SYSBOT_* variables; a malformed value falls back to the default."""
        env = os.environ if env is None else env
        defaults = cls()
        return cls(
            max_rounds=_number(env, "SYSBOT_MAX_ROUNDS", defaults.max_rounds, int),
            default_rounds=_number(env, "SYSBOT_DEFAULT_ROUNDS", defaults.default_rounds, int),
            max_definition_chars=_number(
                env, "SYSBOT_MAX_DEFINITION_CHARS", defaults.max_definition_chars, int
            ),
            time_budget_seconds=_number(
                env, "SYSBOT_TIME_BUDGET_SECONDS", defaults.time_budget_seconds, float
            ),
            max_stocks=_number(env, "SYSBOT_MAX_STOCKS", defaults.max_stocks, int),
            max_nesting=_number(env, "SYSBOT_MAX_NESTING", defaults.max_nesting, int),
        )


def _number(env: Mapping[str, str], name: str, default, kind):
    try:
        value = kind(env[name])
    except (KeyError, ValueError):
        return default
    return value if value >= 0 else default
