"""Messages: any model in a direct message, model code blocks in channels, thread reruns."""

from slack_bolt import BoltContext

from bot.logs import Outcome
from bot.slack.answering.exactly_once import answer_message
from bot.slack.answering.user_message import UserMessage
from bot.slack.context import log_outcome, slack_request


def model_message(event: dict, context: BoltContext) -> None:
    message = UserMessage.from_event(event.get("channel"), event)
    direct = message is not None and (
        event.get("channel_type") == "im" or message.channel.startswith("D")
    )
    # With both app_mention and message.* subscribed, a mention arrives twice: app_mention
    # answers it, so this listener steps aside.
    if message is None or (not direct and f"<@{context.bot_user_id}>" in message.text):
        log_outcome(context, Outcome.IGNORED)
    else:
        answered = answer_message(slack_request(context), message, addressed=direct)
        log_outcome(context, answered.outcome, answered.kind)
