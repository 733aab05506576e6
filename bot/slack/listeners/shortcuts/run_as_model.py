""" "Run as model" on a message's menu: run the model in it, as a mention would, and reply in its
thread naming who ran it; to that person only, an error or why there is nothing to run."""

from __future__ import annotations

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk.errors import SlackApiError

from bot.logs import Kind, Outcome
from bot.render.views import no_model_in_message
from bot.slack.answering.answer import Answer, ErrorAnswer, is_rerun
from bot.slack.answering.reply import Reply, is_not_a_member, reply_privately, send_reply
from bot.slack.answering.user_message import Intent, UserMessage, read_intent
from bot.slack.context import SlackRequest, log_outcome, slack_request
from bot.slack.thread import Thread

HEADING = "<@{user}> ran this message as a model"
NOT_A_MEMBER = (
    "I'm not a member of this conversation, so I can't reply in the message's thread. "
    "Add me with `/invite @sysbot` and try again, or run the model with `/model`."
)
# Markers of a message another app posted: whoever runs it as a model chose it, so it is read
# like any other (the bot's own results hold no model, and get the explanation).
_APP_MARKERS = ("bot_id", "subtype")


def run_as_model(ack: Ack, shortcut: dict, respond: Respond, context: BoltContext) -> None:
    ack()
    outcome, kind = _run(shortcut, respond, slack_request(context))
    log_outcome(context, outcome, kind)


def _run(shortcut: dict, respond: Respond, request: SlackRequest) -> tuple[Outcome, Kind | None]:
    message, user = _message(shortcut), (shortcut.get("user") or {}).get("id")
    if message is None or not isinstance(user, str):
        return Outcome.IGNORED, None  # not what Slack sends
    intent = read_intent(message, addressed=True, heading=HEADING.format(user=user))
    try:
        answer = _answer(request, message, intent)
        if answer is None:
            respond(**no_model_in_message(), response_type="ephemeral", replace_original=False)
            return Outcome.HELP, None
        if isinstance(answer, ErrorAnswer):  # only for the person who ran it, model echoed
            respond(**answer.render(), response_type="ephemeral", replace_original=False)
            return answer.outcome, None
        reply = Reply(answer, message.channel, thread_ts=message.root, source_ts=message.ts)
        send_reply(request.client, reply, request.limits.max_rounds)
    except SlackApiError as error:
        if not is_not_a_member(error):
            raise
        reply_privately(respond, NOT_A_MEMBER)
        return Outcome.NOT_IN_CHANNEL, None
    rerun = is_rerun(answer)
    return answer.outcome, Kind.RERUN if rerun else None


def _message(shortcut: dict) -> UserMessage | None:
    channel, message = (shortcut.get("channel") or {}).get("id"), shortcut.get("message")
    if not isinstance(message, dict):
        return None
    as_written = {key: value for key, value in message.items() if key not in _APP_MARKERS}
    return UserMessage.from_event(channel, as_written)


def _answer(request: SlackRequest, message: UserMessage, intent: Intent) -> Answer | None:
    """The model's run; in a thread, a change to the run before it (`rounds=50`) as a mention
    would; None when the message holds nothing to run."""
    previous = None
    if intent.needs_previous_run:
        thread = Thread(request.client, message.channel, message.root, request.bot_id)
        previous = thread.run_before(message.ts)
    return intent.answer(previous, lambda: request.run_limits)
