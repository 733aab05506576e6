"""An edited message the bot answered: rerun it and update the reply in place."""

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.logs import Outcome
from bot.slack.answering.exactly_once import answer_edit
from bot.slack.answering.user_message import UserMessage
from bot.slack.context import log_outcome, settings_of


def message_changed(event: dict, client: WebClient, context: BoltContext) -> None:
    edited = event.get("message") or {}
    message = UserMessage.from_event(event.get("channel"), edited)
    # Unfurls and reactions also arrive as message_changed, with the text unchanged.
    if message is None or (event.get("previous_message") or {}).get("text") == edited.get("text"):
        log_outcome(context, Outcome.IGNORED)
    else:
        outcome = answer_edit(client, context.bot_id, message, settings_of(context).limits)
        log_outcome(context, outcome)
