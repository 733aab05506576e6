"""The help message's button: open an empty editor that posts its run to the channel."""

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.render.views import model_modal
from bot.slack.observe import listener


@listener("action")
def open_editor(ack: Ack, body: dict, client: WebClient, context: BoltContext) -> str:
    ack()
    channel = (body.get("container") or {}).get("channel_id") or body["channel"]["id"]
    if not isinstance(channel, str) or not isinstance(body.get("trigger_id"), str):
        return "ignored"  # Slack sends both as strings
    limits = context["settings"].limits
    client.views_open(
        trigger_id=body["trigger_id"],
        view=model_modal("", limits.default_rounds, {"channel": channel}, limits.max_rounds),
    )
    return "ok"
