"""@-mention with a model: answer in a thread under it (or in its thread)."""

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.slack.conversation import answer_message, from_a_bot, readable
from bot.slack.observe import listener


@listener("mention")
def app_mention(event: dict, client: WebClient, context: BoltContext):
    # In direct messages the message listener answers; a mention there would be a double.
    if not readable(event.get("channel"), event) or from_a_bot(event):
        return "ignored"
    if event["channel"].startswith("D"):
        return "ignored"
    return answer_message(
        client,
        context.bot_id,
        event["channel"],
        event,
        context["settings"].limits,
        addressed=True,
        kind="mention",
    )
