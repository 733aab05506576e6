"""@-mention with a model: answer in a thread under it (or in its thread)."""

from slack_bolt import BoltContext

from bot.logs import Outcome
from bot.slack.answering.exactly_once import answer_message
from bot.slack.answering.user_message import UserMessage
from bot.slack.context import log_outcome, slack_request


def app_mention(event: dict, context: BoltContext) -> None:
    message = UserMessage.from_event(event.get("channel"), event)
    # In direct messages the message listener answers; a mention there would be a double.
    if message is None or message.channel.startswith("D"):
        log_outcome(context, Outcome.IGNORED)
    else:
        answered = answer_message(slack_request(context), message, addressed=True)
        log_outcome(context, answered.outcome, answered.kind)
