""" "Edit & rerun": open the editor prefilled with the run's model and rounds."""

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.render.views import MODAL_TEXT_LIMIT, model_modal
from bot.slack.listeners.actions.gone import run_behind_click, unless_not_a_member
from bot.slack.observe import listener

TOO_LONG = (
    "This model is longer than the editor's {limit:,} characters. Reply in the thread with the "
    "changed lines instead, or post a new code block."
)


@listener("action")
@unless_not_a_member
def edit_and_rerun(
    ack: Ack, body: dict, client: WebClient, respond: Respond, context: BoltContext
) -> str:
    clicked = run_behind_click(ack, body, client, respond)
    if clicked is None:
        return "run_not_found"
    if not isinstance(body.get("trigger_id"), str):
        return "ignored"  # Slack always sends one; without it no editor can open
    if len(clicked.run.definition) > MODAL_TEXT_LIMIT:
        respond(
            text=TOO_LONG.format(limit=MODAL_TEXT_LIMIT),
            response_type="ephemeral",
            replace_original=False,
        )
        return "too_long"
    # The run to compare with is the one whose button was pressed, not the thread's newest.
    place = {"channel": clicked.channel, "thread_ts": clicked.thread_ts, "run_ts": clicked.run.ts}
    max_rounds = context["settings"].limits.max_rounds
    client.views_open(
        trigger_id=body["trigger_id"],
        view=model_modal(clicked.run.definition, clicked.run.rounds, place, max_rounds),
    )
    return "ok"
