""" "More rounds": rerun with twice the rounds (up to the limit) and compare, in the thread."""

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.chat.rerun import Rerun
from bot.slack.answers import rerun_answer
from bot.slack.listeners.actions.gone import run_behind_click, unless_not_a_member
from bot.slack.observe import listener
from bot.slack.replies import post_answer


@listener("action")
@unless_not_a_member
def more_rounds(
    ack: Ack, body: dict, client: WebClient, respond: Respond, context: BoltContext
) -> str:
    clicked = run_behind_click(ack, body, client, respond)
    if clicked is None:
        return "run_not_found"
    limits = context["settings"].limits
    rounds = clicked.value.get("rounds")
    rounds = rounds if isinstance(rounds, int) else min(clicked.run.rounds * 2, limits.max_rounds)
    answer = rerun_answer(
        clicked.run, Rerun(rounds=rounds), limits, f":heavy_plus_sign: {rounds} rounds"
    )
    post_answer(client, clicked.channel, answer, limits.max_rounds, thread_ts=clicked.thread_ts)
    return "ok"
