""" "CSV": upload every round and stock at full precision as a file in the thread."""

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.model import Limits, ModelError, run_definition
from bot.render.data import result_csv
from bot.slack.actions_support import clicked_run
from bot.slack.listeners.actions.gone import say_run_is_gone, unless_not_a_member
from bot.slack.observe import listener


@listener("action")
@unless_not_a_member
def download_csv(ack: Ack, body: dict, client: WebClient, respond: Respond) -> str:
    ack()
    clicked = clicked_run(client, body)
    if clicked.run is None or not clicked.run.rerunnable:
        return say_run_is_gone(respond)
    try:
        result = run_definition(clicked.run.definition, clicked.run.rounds, None, Limits.from_env())
    except ModelError:
        return say_run_is_gone(respond)
    client.files_upload_v2(
        channel=clicked.channel,
        thread_ts=clicked.thread_ts,
        content=result_csv(result),
        filename=f"sysbot-{len(result.rows) - 1}-rounds.csv",
        title=f"Model run: {len(result.stocks)} stocks, {len(result.rows) - 1} rounds",
        initial_comment="The full result, every round and stock at full precision.",
    )
    return "ok"
