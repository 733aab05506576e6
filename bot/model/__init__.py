"""The model layer: running definitions with `systems` under limits, explaining failures and
comparing runs. It takes a definition and options, and knows nothing of chat, Slack or HTTP."""

from bot.model.errors import ModelError
from bot.model.limits import Limits
from bot.model.run import RunResult, run_definition

__all__ = ["Limits", "ModelError", "RunResult", "run_definition"]
