"""Answering a user's message exactly once, and keeping the answer in step with edits."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.model import Limits
from bot.slack.answers import Answer, plan_reply
from bot.slack.dedupe import RecentKeys
from bot.slack.replies import delete_replies, post_answer, update_answer
from bot.slack.thread import answered_before, bot_runs, read_thread

EDIT_HEADING = ":pencil2: _Updated after your edit._"
# How long a repeated delivery waits for this instance's handling of the same message, which
# may still fail and need the repeat; Slack gives a delivery 3 s.
IN_FLIGHT_WAIT_SECONDS = 2.0
_recent = RecentKeys()


def answer_message(
    client: WebClient,
    bot_id: str | None,
    channel: str,
    message: dict,
    limits: Limits,
    *,
    addressed: bool,
    kind: str,
) -> tuple[str, str]:
    """Reply in the message's thread unless this instance or the thread shows it was answered."""
    key = f"{channel}:{message['ts']}"
    if not _recent.claim(key, wait=IN_FLIGHT_WAIT_SECONDS):
        return kind, "duplicate"
    try:
        answered = _answer_once(
            client, bot_id, channel, message, limits, addressed=addressed, kind=kind
        )
    except Exception:
        _recent.release(key)  # let Slack's retry try again
        raise
    _recent.finish(key)
    return answered


def _answer_once(
    client: WebClient,
    bot_id: str | None,
    channel: str,
    message: dict,
    limits: Limits,
    *,
    addressed: bool,
    kind: str,
) -> tuple[str, str]:
    plan = plan_reply(client, channel, message, addressed=addressed, bot_id=bot_id, limits=limits)
    if plan.answer is None:
        return kind, "ignored"
    if plan.existing is not None:
        delete_replies(client, channel, [reply.ts for reply in plan.replies[1:]])
        return kind, "duplicate"
    root = message.get("thread_ts") or message["ts"]
    posted = post_answer(
        client, channel, plan.answer, limits.max_rounds, thread_ts=root, source_ts=message["ts"]
    )
    if _answered_elsewhere(client, bot_id, channel, root, message["ts"], posted["ts"]):
        return kind, "duplicate"
    return ("rerun" if plan.answer.kind == "rerun" else kind), _outcome(plan.answer)


def _answered_elsewhere(
    client: WebClient, bot_id: str | None, channel: str, root: str, source_ts: str, mine: str
) -> bool:
    """Two instances can answer one message at once (a retry served while the first delivery
    still is): both post, then read the thread again, and the later reply is deleted."""
    runs = bot_runs(read_thread(client, channel, root), bot_id)
    if not answered_before(runs, source_ts, mine):
        return False
    delete_replies(client, channel, [mine])
    return True


def answer_edit(
    client: WebClient, bot_id: str | None, channel: str, message: dict, limits: Limits
) -> str:
    """Rerun an edited message and update the bot's reply to it in place."""
    plan = plan_reply(
        client, channel, message, addressed=True, bot_id=bot_id, limits=limits, heading=EDIT_HEADING
    )
    if plan.existing is None:
        return "ignored"
    answer = plan.answer
    if answer is None or answer.kind == "help":
        answer = Answer("removed", heading=EDIT_HEADING)
    update_answer(
        client, channel, plan.existing.ts, answer, limits.max_rounds, source_ts=message["ts"]
    )
    return _outcome(answer)


def _outcome(answer: Answer) -> str:
    return {"error": "model_error", "help": "help", "removed": "removed"}.get(answer.kind, "ok")


def readable(channel, message) -> bool:
    """Whether the ids and text the bot would pass on to Slack are strings, as Slack sends them."""
    if not isinstance(channel, str) or not isinstance(message, dict):
        return False
    optional = (message.get("thread_ts"), message.get("text"))
    return isinstance(message.get("ts"), str) and all(
        value is None or isinstance(value, str) for value in optional
    )


def from_a_bot(message: dict) -> bool:
    return bool(message.get("bot_id")) or message.get("subtype") == "bot_message"
