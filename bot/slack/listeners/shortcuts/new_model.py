""" "New model" in the shortcuts menu: the editor, with a picker of where to post the run."""

from slack_bolt import Ack, BoltContext
from slack_sdk import WebClient

from bot.logs import Outcome
from bot.render.views import model_modal
from bot.slack.context import log_outcome, settings_of


def new_model(ack: Ack, shortcut: dict, client: WebClient, context: BoltContext) -> None:
    ack()
    trigger_id = shortcut.get("trigger_id")
    if not isinstance(trigger_id, str):
        log_outcome(context, Outcome.IGNORED)  # Slack always sends one; no editor opens without
        return
    limits = settings_of(context).limits
    view = model_modal("", limits.default_rounds, {}, limits.max_rounds, pick_conversation=True)
    client.views_open(trigger_id=trigger_id, view=view)
    log_outcome(context, Outcome.OK)
