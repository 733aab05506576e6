"""`/model <definition>`: run it and post the result in the channel; errors only to the user."""

from __future__ import annotations

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.chat.reader import read_request
from bot.model import ModelError
from bot.render.views import help_message
from bot.slack.answers import Answer, fresh_answer
from bot.slack.observe import listener
from bot.slack.replies import is_not_a_member, post_answer, send_with_fallbacks

HELP_WORDS = {"", "help", "-h", "--help", "?"}
NOT_A_MEMBER_NOTE = (
    "_I'm not a member of this channel, so reruns in the thread won't work here: "
    "`/invite` me to use them._"
)


@listener("command")
def model_command(
    ack: Ack, command: dict, client: WebClient, respond: Respond, context: BoltContext
) -> str:
    text = command.get("text") or ""
    if text.strip().lower() in HELP_WORDS:
        ack(**help_message(with_editor_button=not text.strip()))
        return "help"
    limits = context["settings"].limits
    try:
        answer = fresh_answer(read_request(text), limits)
    except ModelError as error:
        answer = Answer("error", error=error)
    if answer.error is not None:
        answer.definition = text  # echo everything typed, options included: nothing is lost
        ack(**answer.render())
        return "model_error"
    answer.heading = f"<@{command['user_id']}> ran `/model`"
    _post_in_channel(client, respond, command["channel_id"], answer, limits.max_rounds)
    ack()
    return "ok"


def _post_in_channel(
    client: WebClient, respond: Respond, channel: str, answer: Answer, max_rounds: int
) -> None:
    """Post as the bot (so the thread can be rerun); outside its channels, answer in place."""
    try:
        post_answer(client, channel, answer, max_rounds)
    except SlackApiError as error:
        if not is_not_a_member(error):
            raise
        answer.heading = f"{answer.heading}\n{NOT_A_MEMBER_NOTE}"
        send_with_fallbacks(
            _respond_raising(respond),
            answer,
            max_rounds,
            response_type="in_channel",
            metadata=answer.metadata(),
        )


def _respond_raising(respond: Respond):
    """`respond` returns a status instead of raising; make refusals look like Web API errors."""

    def send(**message):
        response = respond(**message)
        if response.status_code != 200:
            raise SlackApiError(response.body, {"ok": False, "error": response.body})
        return response

    return send
