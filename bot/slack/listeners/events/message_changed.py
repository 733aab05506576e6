"""An edited message the bot answered: rerun it and update the reply in place."""

from slack_bolt import BoltContext

from bot.logs import Outcome
from bot.slack.answering.exactly_once import answer_edit
from bot.slack.answering.user_message import UserMessage
from bot.slack.context import log_outcome, slack_request


def message_changed(event: dict, context: BoltContext) -> None:
    edited = event.get("message") or {}
    message = UserMessage.from_event(event.get("channel"), edited)
    # Unfurls and reactions also arrive as message_changed, with the text unchanged.
    if message is None or (event.get("previous_message") or {}).get("text") == edited.get("text"):
        log_outcome(context, Outcome.IGNORED)
    else:
        log_outcome(context, answer_edit(slack_request(context), message))
