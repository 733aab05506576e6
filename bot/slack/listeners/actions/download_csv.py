""" "CSV": upload every round and stock at full precision as a file in the thread (a sweep's:
every scenario's, with a scenario column)."""

from functools import partial

from slack_bolt import Ack, BoltContext, Respond

from bot.logs import Outcome
from bot.model import ModelError
from bot.slack.answering.answer import csv_of
from bot.slack.answering.reply import reply_privately
from bot.slack.clicked_run import RUN_GONE, ClickedRun, on_clicked_run
from bot.slack.context import SlackRequest, log_outcome, slack_request


def download_csv(ack: Ack, body: dict, respond: Respond, context: BoltContext) -> None:
    request = slack_request(context)
    upload = partial(_upload, request, respond)
    log_outcome(context, on_clicked_run(ack, body, request, respond, upload))


def _upload(request: SlackRequest, respond: Respond, clicked: ClickedRun) -> Outcome:
    try:
        csv = csv_of(clicked.run, request.run_limits)
    except ModelError:  # it ran before; only changed limits can refuse it now
        reply_privately(respond, RUN_GONE)
        return Outcome.RUN_NOT_FOUND
    request.client.files_upload_v2(
        channel=clicked.channel,
        thread_ts=clicked.thread_ts,
        content=csv.content,
        filename=csv.filename,
        title=csv.title,
        initial_comment=csv.comment,
    )
    return Outcome.OK
