"""Deciding how to answer a message: a fresh run, a rerun with a comparison, an error, help,
or nothing at all; and turning that answer into a Slack message."""

from __future__ import annotations

from dataclasses import dataclass, field

from slack_sdk import WebClient

from bot.chat.reader import ModelRequest, looks_like_model, read_request
from bot.chat.rerun import Rerun, read_rerun
from bot.model import Limits, ModelError, RunResult, run_definition
from bot.model.diff import StockChange, compare_runs
from bot.render.blocks import Fallback, error_message, no_model_message, run_message
from bot.render.views import help_message
from bot.slack.thread import (
    StoredRun,
    bot_runs,
    previous_run,
    read_thread,
    replies_to,
    run_metadata,
)


@dataclass
class Answer:
    """What the bot will say; `render` gives the message at a Block Kit fallback level."""

    kind: str  # run | rerun | error | help | removed
    definition: str = ""
    rounds: int = 0
    result: RunResult | None = None
    error: ModelError | None = None
    changes: list[StockChange] = field(default_factory=list)
    heading: str | None = None

    def render(self, level: Fallback = Fallback.FULL, max_rounds: int = 1000) -> dict:
        if self.result is not None:
            return run_message(
                self.result,
                heading=self.heading,
                changes=self.changes,
                fallback=level,
                max_rounds=max_rounds,
            )
        if self.error is not None:
            return error_message(self.error, self.definition, self.heading)
        if self.kind == "removed":
            return no_model_message(self.heading)
        return help_message(with_editor_button=False)

    def metadata(self, source_ts: str = "") -> dict:
        outcome = "run" if self.result is not None else self.kind
        definition = self.result.definition if self.result is not None else self.definition
        rounds = self.result.rounds if self.result is not None else self.rounds
        return run_metadata(definition, rounds, source_ts, outcome)


@dataclass
class Plan:
    answer: Answer | None
    # The bot's replies to the message already in the thread, oldest first; more than one
    # only when two instances answered it at the same moment.
    replies: list[StoredRun]

    @property
    def existing(self) -> StoredRun | None:
        return self.replies[0] if self.replies else None


def fresh_answer(request: ModelRequest, limits: Limits, heading: str | None = None) -> Answer:
    try:
        result = run_definition(request.definition, request.rounds, request.overrides, limits)
    except ModelError as error:
        return Answer(
            "error", request.definition, request.rounds or 0, error=error, heading=heading
        )
    return Answer("run", result.definition, result.rounds, result=result, heading=heading)


def rerun_answer(previous: StoredRun, rerun: Rerun, limits: Limits, heading: str) -> Answer:
    definition, rounds = rerun.apply(previous.definition, previous.rounds)
    try:
        result = run_definition(definition, rounds, rerun.overrides, limits)
    except ModelError as error:
        return Answer("error", definition, rounds, error=error, heading=heading)
    return Answer(
        "rerun",
        result.definition,
        result.rounds,
        result=result,
        heading=heading,
        changes=changes_since(previous, result, limits),
    )


def changes_since(previous: StoredRun, result: RunResult, limits: Limits) -> list[StockChange]:
    """Rerun the previous definition (runs are deterministic) rather than store its rows."""
    try:
        before = run_definition(previous.definition, previous.rounds, None, limits)
    except ModelError:
        return []
    return compare_runs(before, result)


def plan_reply(
    client: WebClient,
    channel: str,
    message: dict,
    *,
    addressed: bool,
    bot_id: str | None,
    limits: Limits,
    heading: str | None = None,
) -> Plan:
    """How to answer `message`, and the bot's existing reply to it, if any."""
    text = message.get("text") or ""
    ts = message["ts"]
    root = message.get("thread_ts") or ts
    rerun = _read(read_rerun, text, addressed) if root != ts else None
    request = _read(read_request, text)
    if isinstance(request, ModelError):
        wants_model = addressed
    else:
        wants_model = looks_like_model(request) or (addressed and request.fenced)
    if not (rerun or wants_model or addressed):
        return Plan(None, [])
    runs = bot_runs(read_thread(client, channel, root), bot_id)
    existing = replies_to(runs, ts)
    previous = previous_run(runs, before_ts=ts) if root != ts else None
    if previous is not None and isinstance(rerun, Rerun):
        return Plan(rerun_answer(previous, rerun, limits, heading or ":repeat: Rerun"), existing)
    if isinstance(rerun, ModelError) and previous is not None:
        return Plan(Answer("error", text, error=rerun, heading=heading), existing)
    if isinstance(request, ModelError):
        return Plan(Answer("error", text, error=request, heading=heading), existing)
    if wants_model:
        return Plan(fresh_answer(request, limits, heading), existing)
    return Plan(Answer("help", heading=heading) if addressed else None, existing)


def _read(reader, *args):
    """A reader's result, or the ModelError it raised (a malformed `rounds=` option)."""
    try:
        return reader(*args)
    except ModelError as error:
        return error
