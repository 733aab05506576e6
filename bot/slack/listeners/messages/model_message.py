"""Messages: any model in a direct message, model code blocks in channels, thread reruns."""

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.slack.conversation import answer_message, from_a_bot, readable
from bot.slack.observe import listener


@listener("message")
def model_message(event: dict, client: WebClient, context: BoltContext):
    if not readable(event.get("channel"), event) or from_a_bot(event):
        return "ignored"
    channel = event["channel"]
    direct = event.get("channel_type") == "im" or channel.startswith("D")
    # With both app_mention and message.* subscribed, a mention arrives twice: app_mention
    # answers it, so this listener steps aside.
    if not direct and f"<@{context.bot_user_id}>" in (event.get("text") or ""):
        return "ignored"
    limits = context["settings"].limits
    return answer_message(
        client, context.bot_id, channel, event, limits, addressed=direct, kind="message"
    )
