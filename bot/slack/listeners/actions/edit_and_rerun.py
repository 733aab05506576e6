""" "Edit & rerun": open the editor prefilled with the run's model and rounds."""

from functools import partial

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.logs import Outcome
from bot.render.views import MODAL_TEXT_LIMIT, model_modal
from bot.slack.answering.reply import reply_privately
from bot.slack.clicked_run import ClickedRun, on_clicked_run
from bot.slack.context import log_outcome, slack_request

TOO_LONG = (
    "This model is longer than the editor's {limit:,} characters. Reply in the thread with the "
    "changed lines instead, or post a new code block."
)


def edit_and_rerun(ack: Ack, body: dict, respond: Respond, context: BoltContext) -> None:
    request = slack_request(context)
    max_rounds = request.limits.max_rounds
    trigger_id = body.get("trigger_id")
    open_editor = partial(_open_editor, request.client, respond, trigger_id, max_rounds)
    log_outcome(context, on_clicked_run(ack, body, request, respond, open_editor))


def _open_editor(
    client: WebClient, respond: Respond, trigger_id: object, max_rounds: int, clicked: ClickedRun
) -> Outcome:
    if not isinstance(trigger_id, str):
        return Outcome.IGNORED  # Slack always sends one; without it no editor can open
    if len(clicked.run.definition) > MODAL_TEXT_LIMIT:
        reply_privately(respond, TOO_LONG.format(limit=MODAL_TEXT_LIMIT))
        return Outcome.TOO_LONG
    # The run to compare with is the one whose button was pressed, not the thread's newest.
    place = {"channel": clicked.channel, "thread_ts": clicked.thread_ts, "run_ts": clicked.run.ts}
    view = model_modal(clicked.run.definition, clicked.run.rounds, place, max_rounds)
    client.views_open(trigger_id=trigger_id, view=view)
    return Outcome.OK
