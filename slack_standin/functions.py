"""Workflow Builder custom steps ("functions"): the steps the app's manifest declares, their
executions, and completing them as Slack does.

Each execution has its own token (`xwfp-…`), sent in the `function_executed` event as
`bot_access_token`: it acts as the bot for the execution's Web API calls, and only it may complete
the execution. An execution completes once; completing it again is answered
`function_execution_not_found`, as Slack answers it. `functions.completeSuccess` checks the outputs
against the step's declared `output_parameters` (`parameter_validation_failed`).
"""

from __future__ import annotations

import itertools
import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from .args import Args
from .errors import SlackError

_TS = re.compile(r"\d{1,12}\.\d{1,6}")
# A value's Python types for each Slack parameter type the stand-in checks; others pass.
_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
    "slack#/types/channel_id": (str,),
    "slack#/types/user_id": (str,),
    "slack#/types/message_ts": (str,),
}


@dataclass
class Execution:
    id: str
    callback_id: str
    token: str
    event_ts: str
    inputs: dict[str, Any]
    state: str = "running"  # then "completed" or "failed"
    outputs: dict[str, Any] | None = None
    error: str | None = None

    def summary(self) -> dict[str, Any]:
        return {
            "function_execution_id": self.id,
            "callback_id": self.callback_id,
            "state": self.state,
            "outputs": self.outputs,
            "error": self.error,
        }


@dataclass
class Functions:
    declared: dict[str, dict[str, Any]] = field(default_factory=dict)  # manifest `functions`
    executions: dict[str, Execution] = field(default_factory=dict)  # by id
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def declare(self, functions: dict[str, dict[str, Any]]) -> None:
        self.declared = dict(functions)

    def start(self, callback_id: str, inputs: dict[str, Any], event_ts: str) -> Execution:
        if callback_id not in self.declared:
            raise KeyError(f"the manifest declares no function {callback_id!r}")
        number = next(self._ids)
        execution = Execution(
            id=f"Fx{number:010d}",
            callback_id=callback_id,
            token=f"xwfp-{number}-{secrets.token_hex(8)}",
            event_ts=event_ts,
            inputs=inputs,
        )
        self.executions[execution.id] = execution
        return execution

    def function_definition(self, callback_id: str) -> dict[str, Any]:
        """The function as the `function_executed` event describes it: parameters as lists."""
        declared = self.declared[callback_id]
        return {
            "callback_id": callback_id,
            "title": declared["title"],
            "description": declared["description"],
            "type": "app",
            "input_parameters": _parameter_list(declared["input_parameters"]),
            "output_parameters": _parameter_list(declared["output_parameters"]),
        }

    def is_execution_token(self, token: str) -> bool:
        return any(execution.token == token for execution in self.executions.values())

    def complete_success(self, token: str, args: Args) -> None:
        execution = self._running(token, args)
        outputs = args.structured("outputs", error="invalid_arguments")
        _check_outputs(outputs, self.declared[execution.callback_id]["output_parameters"])
        execution.state, execution.outputs = "completed", outputs

    def complete_error(self, token: str, args: Args) -> None:
        execution = self._running(token, args)
        execution.state, execution.error = "failed", args.string("error")

    def clear(self) -> None:
        self.executions.clear()

    def _running(self, token: str, args: Args) -> Execution:
        execution = self.executions.get(args.string("function_execution_id"))
        if execution is None or execution.state != "running":
            raise SlackError("function_execution_not_found")
        if token != execution.token:
            raise SlackError("access_denied")  # another token: the bot's own, or another run's
        return execution


def _parameter_list(parameters: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"name": name, **parameter} for name, parameter in parameters.items()]


def _check_outputs(outputs: Any, declared: dict[str, dict[str, Any]]) -> None:
    if not isinstance(outputs, dict):
        raise SlackError("invalid_arguments", ["[ERROR] outputs must be an object"])
    problems = [
        f"[ERROR] `{name}` is not a declared output" for name in outputs if name not in declared
    ]
    for name, parameter in declared.items():
        if name not in outputs:
            if parameter.get("is_required"):
                problems.append(f"[ERROR] the required output `{name}` is missing")
            continue
        if not _has_type(outputs[name], parameter["type"]):
            problems.append(f"[ERROR] `{name}` must be a {parameter['type']}")
    if problems:
        raise SlackError("parameter_validation_failed", problems)


def _has_type(value: Any, slack_type: str) -> bool:
    types = _TYPES.get(slack_type)
    if types is None:
        return True
    if isinstance(value, bool) and bool not in types:
        return False
    if slack_type == "slack#/types/message_ts":
        return isinstance(value, str) and bool(_TS.fullmatch(value))
    return isinstance(value, types)
