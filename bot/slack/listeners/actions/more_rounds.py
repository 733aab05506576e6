""" "More rounds": rerun with twice the rounds (up to the limit) and compare, in the thread."""

from functools import partial

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.chat.rerun import Rerun
from bot.logs import Outcome
from bot.model import Limits
from bot.slack.answering.answer import ModelRun
from bot.slack.answering.reply import Reply, send_reply
from bot.slack.clicked_run import ClickedRun, on_clicked_run
from bot.slack.context import log_outcome, settings_of


def more_rounds(
    ack: Ack, body: dict, client: WebClient, respond: Respond, context: BoltContext
) -> None:
    rerun = partial(_rerun, client, settings_of(context).limits)
    log_outcome(context, on_clicked_run(ack, body, client, respond, rerun))


def _rerun(client: WebClient, limits: Limits, clicked: ClickedRun) -> Outcome:
    rounds = clicked.value.get("rounds")
    rounds = rounds if isinstance(rounds, int) else min(clicked.run.rounds * 2, limits.max_rounds)
    run = ModelRun.rerunning(
        clicked.run, Rerun(rounds=rounds), f":heavy_plus_sign: {rounds} rounds"
    )
    reply = Reply(run.answer(limits), clicked.channel, thread_ts=clicked.thread_ts)
    send_reply(client, reply, limits.max_rounds)
    return Outcome.OK
