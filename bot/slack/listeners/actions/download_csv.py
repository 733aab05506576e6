""" "CSV": upload every round and stock at full precision as a file in the thread."""

from functools import partial

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.logs import Outcome
from bot.model import Limits, ModelError, run_definition
from bot.render.data import result_csv
from bot.slack.answering.reply import reply_privately
from bot.slack.clicked_run import RUN_GONE, ClickedRun, on_clicked_run
from bot.slack.context import log_outcome, settings_of


def download_csv(
    ack: Ack, body: dict, client: WebClient, respond: Respond, context: BoltContext
) -> None:
    upload = partial(_upload, client, respond, settings_of(context).limits)
    log_outcome(context, on_clicked_run(ack, body, client, respond, upload))


def _upload(client: WebClient, respond: Respond, limits: Limits, clicked: ClickedRun) -> Outcome:
    try:
        result = run_definition(clicked.run.definition, clicked.run.rounds, None, limits)
    except ModelError:  # it ran before; only changed limits can refuse it now
        reply_privately(respond, RUN_GONE)
        return Outcome.RUN_NOT_FOUND
    client.files_upload_v2(
        channel=clicked.channel,
        thread_ts=clicked.thread_ts,
        content=result_csv(result),
        filename=f"sysbot-{len(result.rows) - 1}-rounds.csv",
        title=f"Model run: {_count(len(result.stocks), 'stock')}, {len(result.rows) - 1} rounds",
        initial_comment="The full result, every round and stock at full precision.",
    )
    return Outcome.OK


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
