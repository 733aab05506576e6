"""The help message's button: open an empty editor that posts its run to the channel."""

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.logs import Outcome
from bot.model import Limits
from bot.render.views import model_modal
from bot.slack.context import log_outcome, settings_of


def open_editor(ack: Ack, body: dict, client: WebClient, context: BoltContext) -> None:
    ack()
    log_outcome(context, _open(body, client, settings_of(context).limits))


def _open(body: dict, client: WebClient, limits: Limits) -> Outcome:
    channel = (body.get("container") or {}).get("channel_id") or body["channel"]["id"]
    if not isinstance(channel, str) or not isinstance(body.get("trigger_id"), str):
        return Outcome.IGNORED  # Slack sends both as strings
    view = model_modal("", limits.default_rounds, {"channel": channel}, limits.max_rounds)
    client.views_open(trigger_id=body["trigger_id"], view=view)
    return Outcome.OK
