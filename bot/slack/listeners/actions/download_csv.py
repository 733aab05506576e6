""" "CSV": upload every round and stock at full precision as a file in the thread."""

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.model import ModelError, run_definition
from bot.render.data import result_csv
from bot.slack.listeners.actions.gone import RUN_GONE, run_behind_click, unless_not_a_member
from bot.slack.observe import listener


@listener("action")
@unless_not_a_member
def download_csv(
    ack: Ack, body: dict, client: WebClient, respond: Respond, context: BoltContext
) -> str:
    clicked = run_behind_click(ack, body, client, respond)
    if clicked is None:
        return "run_not_found"
    try:
        limits = context["settings"].limits
        result = run_definition(clicked.run.definition, clicked.run.rounds, None, limits)
    except ModelError:  # it ran before; only changed limits can refuse it now
        respond(text=RUN_GONE, response_type="ephemeral", replace_original=False)
        return "run_not_found"
    client.files_upload_v2(
        channel=clicked.channel,
        thread_ts=clicked.thread_ts,
        content=result_csv(result),
        filename=f"sysbot-{len(result.rows) - 1}-rounds.csv",
        title=f"Model run: {_count(len(result.stocks), 'stock')}, {len(result.rows) - 1} rounds",
        initial_comment="The full result, every round and stock at full precision.",
    )
    return "ok"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
