"""What every test shares: the model layer's clock stands still unless the test moves it."""

from __future__ import annotations

import pytest

from bot.model import run as run_module
from tests.model.clock import WorkClock


@pytest.fixture(autouse=True)
def _model_clock_stands_still(monkeypatch: pytest.MonkeyPatch) -> None:
    """A run in this process is cut by its time budget only where a test moves the clock
    (tests/model/clock.py). On real time a 200-stock run could be cut short on a loaded machine
    and not on a quiet one. The Slack tests' bot servers, processes that run the largest
    models, get a budget past any run instead (tests/slack/conftest.py)."""
    monkeypatch.setattr(run_module, "time", WorkClock())
