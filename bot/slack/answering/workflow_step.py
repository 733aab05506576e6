"""The Workflow Builder step, run once per execution: the model run under the same limits as
every other run, the result posted in the step's channel when it names one, and the execution
completed with the outputs, or failed with the model's error.

Slack delivers `function_executed` again when it saw no answer within 3 s, perhaps to another
instance. So: this instance handles an execution once (`handled_once`); a retry, or a first
delivery about to answer late, looks in the channel for the bot's post for this execution (its
metadata names the event) before posting, and again after, so that of two instances posting at
the same moment the later deletes its post and leaves completing to the other. Slack completes an
execution once: completing it again is refused (`function_execution_not_found`), which is how a
retry learns that the first delivery finished.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from slack_bolt import Complete, Fail
from slack_sdk.errors import SlackApiError

from bot.chat.reader import read_request
from bot.logs import Outcome
from bot.model import ModelError
from bot.render.step import step_outputs
from bot.render.text import error_text
from bot.slack.answering.answer import ModelRun, RunAnswer
from bot.slack.answering.exactly_once import Answered, delete_own, handled_once, older
from bot.slack.answering.reply import Reply, is_not_a_member, send_reply
from bot.slack.answering.user_message import is_ts
from bot.slack.context import SlackRequest
from bot.slack.stored import stored_run

HEADING = ":gear: Run by a workflow"
NOT_A_MEMBER = (
    "I can't post in the channel this step names because I'm not a member of it. "
    "Add me with /invite @sysbot in that channel, then run the workflow again."
)
ONE_RUN_ONLY = "This step runs one model at a time; sweeps and goal seeks don't fit its outputs."
ONE_RUN_HINT = (
    "Set one starting value (such as `Hires=10`), or run the sweep or seek in a channel with "
    "/model."
)
# Slack's answers to completing an execution that is already complete.
ALREADY_COMPLETED = {"function_execution_not_found", "execution_not_in_running_state"}
PAGE_SIZE = 200


@dataclass(frozen=True)
class StepRun:
    """One execution of the step, as its function_executed event describes it."""

    execution_id: str
    event_ts: str  # when Slack started it: the bot's post for it comes after, and names it
    model: str
    rounds: int | float | None = None  # a fraction is the model layer's to refuse
    channel: str | None = None

    @classmethod
    def of(cls, event: dict, inputs: dict) -> StepRun | None:
        """None when the event lacks what Slack always sends (the bot passes the ts back to
        Slack, and keeps it in its post's metadata)."""
        execution_id, event_ts = event.get("function_execution_id"), event.get("event_ts")
        if not (isinstance(execution_id, str) and execution_id and is_ts(event_ts)):
            return None
        model, channel = inputs.get("model"), inputs.get("channel")
        return cls(
            execution_id,
            event_ts,
            model if isinstance(model, str) else "",
            _rounds(inputs.get("rounds")),
            channel if isinstance(channel, str) and channel else None,
        )


def run_step(request: SlackRequest, step: StepRun, complete: Complete, fail: Fail) -> Answered:
    key = f"step:{step.execution_id}"
    return handled_once(request, key, lambda: _run_once(request, step, complete, fail))


def _run_once(request: SlackRequest, step: StepRun, complete: Complete, fail: Fail) -> Answered:
    try:
        answer = _run(request, step)
    except ModelError as error:  # the message, line, column and hint; never a traceback
        message = error_text(error)
        return _finish(lambda: fail(message), Outcome.MODEL_ERROR)
    if step.channel is None:
        return _finish(lambda: complete(outputs=step_outputs(answer.result)), Outcome.OK)
    try:
        posted = _post_once(request, step.channel, step.event_ts, answer)
    except SlackApiError as error:
        if not is_not_a_member(error):
            raise
        return _finish(lambda: fail(NOT_A_MEMBER), Outcome.NOT_IN_CHANNEL)
    if posted is None:
        return Answered(Outcome.DUPLICATE)
    link = request.client.chat_getPermalink(channel=step.channel, message_ts=posted)["permalink"]
    return _finish(lambda: complete(outputs=step_outputs(answer.result, link)), Outcome.OK)


def _run(request: SlackRequest, step: StepRun) -> RunAnswer:
    asked = read_request(step.model)
    if asked.many is not None:  # its outputs are one run's: a sweep's would not fit them
        raise ModelError(ONE_RUN_ONLY, hint=ONE_RUN_HINT)
    rounds = step.rounds if step.rounds is not None else asked.rounds
    run = ModelRun(asked.definition, rounds, asked.overrides, heading=HEADING)
    return run.run(lambda: request.run_limits)


def _post_once(request: SlackRequest, channel: str, event_ts: str, answer: RunAnswer) -> str | None:
    """The ts of the step's post in `channel`: posted now, or found there from an earlier
    delivery; None when another instance posted it at the same moment (it completes it)."""
    checked = not request.first_delivery or request.deadline.may_be_late()
    if checked and (earlier := _posts_for(request, channel, event_ts)):
        return earlier[0]
    reply = Reply(answer, channel, source_ts=event_ts)
    posted = send_reply(request.client, reply, request.limits.max_rounds)
    if checked and any(older(ts, posted) for ts in _posts_for(request, channel, event_ts)):
        delete_own(request.client, channel, [posted])
        return None
    return posted


def _posts_for(request: SlackRequest, channel: str, event_ts: str) -> list[str]:
    """The bot's posts for the execution started at `event_ts`, oldest first: they come after it,
    within minutes (Slack's last retry comes 5 minutes after the first delivery), so one page of
    the channel's newest messages holds them unless 200 others came in those minutes."""
    answer = request.client.conversations_history(
        channel=channel, oldest=event_ts, include_all_metadata=True, limit=PAGE_SIZE
    )
    runs = [stored_run(message, request.bot_id) for message in answer.get("messages") or []]
    posts = [run.ts for run in runs if run is not None and run.source_ts == event_ts]
    return sorted(posts, key=lambda ts: (float(ts), ts))


def _finish(send: Callable[[], object], outcome: Outcome) -> Answered:
    """Complete or fail the execution; one already completed is a retry's duplicate."""
    try:
        send()
    except SlackApiError as error:
        if error.response.get("error") not in ALREADY_COMPLETED:
            raise
        return Answered(Outcome.DUPLICATE)
    return Answered(outcome)


def _rounds(value: object) -> int | float | None:
    """The rounds input: Workflow Builder sends a number (or its text); anything else is unset,
    and a fraction is passed on for the model layer's own message."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None
