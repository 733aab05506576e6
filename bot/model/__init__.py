"""The model layer: reading definitions out of chat text, running them with `systems` under
limits, explaining failures and comparing runs. It knows nothing of Slack or HTTP."""

from bot.model.errors import ModelError
from bot.model.limits import Limits
from bot.model.reader import ModelRequest, read_request
from bot.model.run import RunResult, run_definition

__all__ = ["Limits", "ModelError", "ModelRequest", "RunResult", "read_request", "run_definition"]
