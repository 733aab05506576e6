"""Answering a user's message exactly once, and keeping the answer in step with edits."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.model import Limits
from bot.slack.answers import Answer, plan_reply
from bot.slack.dedupe import RecentKeys
from bot.slack.replies import post_answer, update_answer

EDIT_HEADING = ":pencil2: _Updated after your edit._"
_recent = RecentKeys()


def answer_message(
    client: WebClient,
    bot_id: str | None,
    channel: str,
    message: dict,
    *,
    addressed: bool,
    kind: str,
) -> tuple[str, str]:
    """Reply in the message's thread unless this instance or the thread shows it was answered."""
    key = f"{channel}:{message['ts']}"
    if not _recent.claim(key):
        return kind, "duplicate"
    try:
        limits = Limits.from_env()
        plan = plan_reply(
            client, channel, message, addressed=addressed, bot_id=bot_id, limits=limits
        )
        if plan.answer is None:
            return kind, "ignored"
        if plan.existing is not None:
            return kind, "duplicate"
        post_answer(
            client,
            channel,
            plan.answer,
            limits.max_rounds,
            thread_ts=message.get("thread_ts") or message["ts"],
            source_ts=message["ts"],
        )
    except Exception:
        _recent.release(key)  # let Slack's retry try again
        raise
    return ("rerun" if plan.answer.kind == "rerun" else kind), _outcome(plan.answer)


def answer_edit(client: WebClient, bot_id: str | None, channel: str, message: dict) -> str:
    """Rerun an edited message and update the bot's reply to it in place."""
    limits = Limits.from_env()
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


def from_a_bot(message: dict) -> bool:
    return bool(message.get("bot_id")) or message.get("subtype") == "bot_message"
