"""A user's message answered in its thread exactly once, and the answer kept in step with edits.

Slack delivers an event again when it saw no answer within 3 s, a mention arrives both as
`app_mention` and as `message`, and a retry may land on another instance. So: an in-memory key
drops a delivery this instance has already handled, and makes one that comes while the first is
still being handled wait for it (and if it is still going, ask Slack to retry later rather than
call it a duplicate); the thread itself records which message each of the bot's replies answers
(in its metadata). A first delivery answered in time needs no look at the thread: Slack has not
given up on it, so nobody else is answering it. A retry, or a first delivery about to answer
late (Slack may already have retried it elsewhere), reads the thread before replying, and again
after posting, so that of two instances answering at the same moment the later one deletes its
reply.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.logs import Kind, Outcome
from bot.slack.answering.answer import Answer, HelpAnswer, NoModelAnswer, is_rerun
from bot.slack.answering.dedupe import Claim, RecentKeys, StillInFlight
from bot.slack.answering.reply import Reply, send_reply
from bot.slack.answering.user_message import Intent, UserMessage, read_intent
from bot.slack.context import SlackRequest
from bot.slack.stored import StoredRun
from bot.slack.thread import Thread

EDIT_HEADING = ":pencil2: _Updated after your edit._"
# How long a repeated delivery waits for this instance's handling of the same message, which
# may still fail and need the repeat; Slack gives a delivery 3 s.
IN_FLIGHT_WAIT_SECONDS = 2.0
# Kept from that wait so the repeat can still answer in time if it takes the message over.
IN_FLIGHT_RESERVE_SECONDS = 0.5
_recent = RecentKeys()


class Answered(NamedTuple):
    """How answering a message ended, for its log line."""

    outcome: Outcome
    kind: Kind | None = None  # Kind.RERUN when the answer reran the thread's run


def answer_message(request: SlackRequest, message: UserMessage, *, addressed: bool) -> Answered:
    """Reply in the message's thread unless this instance or the thread shows it was answered.
    `addressed`: the message is for the bot (a mention, a direct message), so it always gets an
    answer, if only the short guide."""
    key = f"{message.channel}:{message.ts}"
    return handled_once(request, key, lambda: _answer_once(request, message, addressed))


def handled_once(request: SlackRequest, key: str, handle: Callable[[], Answered]) -> Answered:
    """`handle()` unless this instance has handled `key` already (a repeat delivery); a repeat
    coming while the first is still being handled waits for it, as answer_message says."""
    wait = min(IN_FLIGHT_WAIT_SECONDS, request.deadline.remaining() - IN_FLIGHT_RESERVE_SECONDS)
    claim = _recent.claim(key, wait=max(0.0, wait))
    if claim is Claim.HANDLED:
        return Answered(Outcome.DUPLICATE)
    if claim is Claim.IN_FLIGHT:
        raise StillInFlight(key)
    try:
        answered = handle()
    except Exception:
        _recent.release(key)  # so that Slack's retry can try again
        raise
    _recent.finish(key)
    return answered


def answer_edit(request: SlackRequest, message: UserMessage) -> Outcome:
    """Rerun an edited message and update the bot's reply to it in place."""
    intent = read_intent(message, addressed=True, heading=EDIT_HEADING)
    thread = Thread(request.client, message.channel, message.root, request.bot_id)
    replies = thread.replies_to(message.ts)
    if intent is None or not replies:
        return Outcome.IGNORED
    previous = _previous_run(thread, intent, message)
    answer = intent.answer(previous, lambda: request.run_limits) or NoModelAnswer(EDIT_HEADING)
    reply = Reply(answer, message.channel, replaces=replies[0].ts, source_ts=message.ts)
    send_reply(request.client, reply, request.limits.max_rounds)
    return answer.outcome


def _answer_once(request: SlackRequest, message: UserMessage, addressed: bool) -> Answered:
    intent = read_intent(message, addressed)
    if intent is None:
        return Answered(Outcome.IGNORED)
    thread = Thread(request.client, message.channel, message.root, request.bot_id)
    checked = not request.first_delivery
    if checked and _answered(thread, message):
        return Answered(Outcome.DUPLICATE)
    answer = _answer(request, thread, intent, message, addressed)
    if answer is None:
        return Answered(Outcome.IGNORED)
    if not checked and request.deadline.may_be_late():
        checked = True
        if _answered(thread, message):
            return Answered(Outcome.DUPLICATE)
    reply = Reply(answer, message.channel, thread_ts=message.root, source_ts=message.ts)
    posted = send_reply(request.client, reply, request.limits.max_rounds)
    if checked and _answered_elsewhere(thread, message, posted):
        return Answered(Outcome.DUPLICATE)
    rerun = is_rerun(answer)
    return Answered(answer.outcome, Kind.RERUN if rerun else None)


def _answer(
    request: SlackRequest, thread: Thread, intent: Intent, message: UserMessage, addressed: bool
) -> Answer | None:
    answer = intent.answer(_previous_run(thread, intent, message), lambda: request.run_limits)
    if answer is None and addressed:  # for the bot, but nothing to run
        return HelpAnswer()
    return answer


def _previous_run(thread: Thread, intent: Intent, message: UserMessage) -> StoredRun | None:
    return thread.run_before(message.ts) if intent.needs_previous_run else None


def _answered(thread: Thread, message: UserMessage) -> bool:
    """Whether the thread holds the bot's reply to the message; replies left by two instances
    answering at once are cut down to the first."""
    replies = thread.replies_to(message.ts)
    delete_own(thread.client, thread.channel, [reply.ts for reply in replies[1:]])
    return bool(replies)


def _answered_elsewhere(thread: Thread, message: UserMessage, posted_ts: str) -> bool:
    """Two instances can answer one message at once (a retry served while the first delivery
    still is): both post, then read the thread again, and the later reply is deleted."""
    replies = thread.replies_to(message.ts)
    if not any(older(reply.ts, posted_ts) for reply in replies):
        return False
    delete_own(thread.client, thread.channel, [posted_ts])
    return True


def delete_own(client: WebClient, channel: str, timestamps: list[str]) -> None:
    """Delete the bot's own messages; one already gone (another instance's work) is fine."""
    for ts in timestamps:
        try:
            client.chat_delete(channel=channel, ts=ts)
        except SlackApiError as error:
            if error.response.get("error") != "message_not_found":
                raise


def older(ts: str, other: str) -> bool:
    return (float(ts), ts) < (float(other), other)
