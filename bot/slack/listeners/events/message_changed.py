"""An edited message the bot answered: rerun it and update the reply in place."""

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.slack.conversation import answer_edit, from_a_bot, readable
from bot.slack.observe import listener


@listener("edit")
def message_changed(event: dict, client: WebClient, context: BoltContext) -> str:
    message = event.get("message") or {}
    if not readable(event.get("channel"), message) or from_a_bot(message):
        return "ignored"
    previous = (event.get("previous_message") or {}).get("text")
    if previous == message.get("text"):
        return "ignored"  # unfurls and reactions also arrive as message_changed
    return answer_edit(
        client, context.bot_id, event["channel"], message, context["settings"].limits
    )
