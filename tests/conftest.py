"""What every test shares: the model layer's clock stands still unless the test moves it.
How the tests keep time out of their outcomes: tests/README.md."""

from __future__ import annotations

import pytest

from bot.model import run as run_module
from tests.model.clock import WorkClock


@pytest.fixture(autouse=True)
def _model_clock_stands_still(monkeypatch: pytest.MonkeyPatch) -> None:
    """A run in this process is cut by its time budget only where a test moves the clock.
    On real time a 1,000-round run of 200 stocks could be cut short on a slower machine (CPU
    time) or a starved one (the wall-clock backstop), and not on a fast, quiet one. The Slack
    tests' bot servers, processes that run the largest models, get a budget past any run
    instead (tests/slack/conftest.py)."""
    monkeypatch.setattr(run_module, "time", WorkClock())
