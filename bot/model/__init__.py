"""The model layer: running definitions with `systems` under limits, explaining failures and
comparing runs; sweeps (one run per starting value of a stock) and goal seeks (the starting value
at which a goal starts to hold). It takes a definition and options, and knows nothing of chat,
Slack or HTTP."""

from bot.model.errors import ModelError
from bot.model.limits import Limits
from bot.model.run import RunResult, run_definition
from bot.model.scenario_syntax import Goal, Seek, Sweep, ValueRange
from bot.model.scenarios import Scenario, SweepResult, sweep_definition
from bot.model.seek import Sample, SeekOutcome, SeekResult, seek_definition

__all__ = [
    "Goal",
    "Limits",
    "ModelError",
    "RunResult",
    "Sample",
    "Scenario",
    "Seek",
    "SeekOutcome",
    "SeekResult",
    "Sweep",
    "SweepResult",
    "ValueRange",
    "run_definition",
    "seek_definition",
    "sweep_definition",
]
