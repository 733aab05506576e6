"""`/model <definition>`: run it and post the result in the channel; errors only to the user."""

from __future__ import annotations

from dataclasses import replace

from slack_bolt import Ack, BoltContext, Respond

from bot.chat.reader import read_request
from bot.logs import Outcome
from bot.model import ModelError
from bot.render.views import help_message
from bot.slack.answering.answer import ErrorAnswer, ModelRun
from bot.slack.answering.reply import post_in_channel
from bot.slack.context import SlackRequest, log_outcome, slack_request

HELP_WORDS = {"", "help", "-h", "--help", "?"}


def model_command(ack: Ack, command: dict, respond: Respond, context: BoltContext) -> None:
    log_outcome(context, _answer(ack, command, respond, slack_request(context)))


def _answer(ack: Ack, command: dict, respond: Respond, request: SlackRequest) -> Outcome:
    text = command.get("text") or ""
    if text.strip().lower() in HELP_WORDS:
        ack(**help_message(with_editor_button=not text.strip()))
        return Outcome.HELP
    try:
        answer = ModelRun.of(read_request(text)).run(lambda: request.run_limits)
    except ModelError as error:  # echo everything typed, options included: nothing is lost
        ack(**ErrorAnswer(error, text).render())
        return Outcome.MODEL_ERROR
    answer = replace(answer, heading=f"<@{command['user_id']}> ran `/model`")
    max_rounds = request.limits.max_rounds
    post_in_channel(request.client, respond, command["channel_id"], answer, max_rounds)
    ack()
    return Outcome.OK
