"""The Workflow Builder step "Run a systems model": run the model, post it when a channel is
given, and complete the step with its outputs (or fail it with the model's error)."""

from slack_bolt import BoltContext, Complete, Fail

from bot.logs import Outcome
from bot.slack.answering.workflow_step import StepRun, run_step
from bot.slack.context import log_outcome, slack_request


def run_systems_model(
    event: dict, inputs: dict, complete: Complete, fail: Fail, context: BoltContext
) -> None:
    step = StepRun.of(event, inputs if isinstance(inputs, dict) else {})
    if step is None:
        log_outcome(context, Outcome.IGNORED)
    else:
        log_outcome(context, run_step(slack_request(context), step, complete, fail).outcome)
