""" "More rounds": rerun with twice the rounds (up to the limit) and compare, in the thread."""

from functools import partial

from slack_bolt import Ack, BoltContext, Respond

from bot.chat.rerun import Rerun
from bot.logs import Outcome
from bot.slack.answering.answer import ModelRun
from bot.slack.answering.reply import Reply, send_reply
from bot.slack.clicked_run import ClickedRun, on_clicked_run
from bot.slack.context import SlackRequest, log_outcome, slack_request


def more_rounds(ack: Ack, body: dict, respond: Respond, context: BoltContext) -> None:
    request = slack_request(context)
    log_outcome(context, on_clicked_run(ack, body, request, respond, partial(_rerun, request)))


def _rerun(request: SlackRequest, clicked: ClickedRun) -> Outcome:
    max_rounds = request.limits.max_rounds
    rounds = clicked.value.get("rounds")
    rounds = rounds if isinstance(rounds, int) else min(clicked.run.rounds * 2, max_rounds)
    run = ModelRun.rerunning(
        clicked.run, Rerun(rounds=rounds), f":heavy_plus_sign: {rounds} rounds"
    )
    reply = Reply(run.answer(lambda: request.run_limits), clicked.channel, clicked.thread_ts)
    send_reply(request.client, reply, max_rounds)
    return Outcome.OK
