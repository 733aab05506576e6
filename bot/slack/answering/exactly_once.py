"""A user's message answered in its thread exactly once, and the answer kept in step with edits.

Slack delivers an event again when it saw no answer within 3 s, a mention arrives both as
`app_mention` and as `message`, and a retry may land on another instance. So: an in-memory key
drops a delivery this instance has already seen; the thread itself records which message each of
the bot's replies answers (in its metadata), and is read before replying; and it is read again
after posting, so that of two instances answering at the same moment the later one deletes its
reply."""

from __future__ import annotations

from typing import NamedTuple

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.logs import Kind, Outcome
from bot.model import Limits
from bot.slack.answering.answer import HelpAnswer, NoModelAnswer, RunAnswer
from bot.slack.answering.dedupe import RecentKeys
from bot.slack.answering.reply import Reply, send_reply
from bot.slack.answering.user_message import UserMessage, read_intent
from bot.slack.thread import StoredRun, answered_before, bot_runs, read_thread, replies_to

EDIT_HEADING = ":pencil2: _Updated after your edit._"
# How long a repeated delivery waits for this instance's handling of the same message, which
# may still fail and need the repeat; Slack gives a delivery 3 s.
IN_FLIGHT_WAIT_SECONDS = 2.0
_recent = RecentKeys()


class Answered(NamedTuple):
    """How answering a message ended, for its log line."""

    outcome: Outcome
    kind: Kind | None = None  # Kind.RERUN when the answer reran the thread's run


def answer_message(
    client: WebClient, bot_id: str | None, message: UserMessage, limits: Limits, *, addressed: bool
) -> Answered:
    """Reply in the message's thread unless this instance or the thread shows it was answered.
    `addressed`: the message is for the bot (a mention, a direct message), so it always gets an
    answer, if only the short guide."""
    key = f"{message.channel}:{message.ts}"
    if not _recent.claim(key, wait=IN_FLIGHT_WAIT_SECONDS):
        return Answered(Outcome.DUPLICATE)
    try:
        answered = _answer_once(client, bot_id, message, limits, addressed)
    except Exception:
        _recent.release(key)  # so that Slack's retry can try again
        raise
    _recent.finish(key)
    return answered


def answer_edit(
    client: WebClient, bot_id: str | None, message: UserMessage, limits: Limits
) -> Outcome:
    """Rerun an edited message and update the bot's reply to it in place."""
    intent = read_intent(message, addressed=True, heading=EDIT_HEADING)
    runs = _runs_in_thread(client, bot_id, message)
    replies = replies_to(runs, message.ts)
    if intent is None or not replies:
        return Outcome.IGNORED
    answer = intent.answer(message.run_before(runs), limits) or NoModelAnswer(EDIT_HEADING)
    reply = Reply(answer, message.channel, replaces=replies[0].ts, source_ts=message.ts)
    send_reply(client, reply, limits.max_rounds)
    return answer.outcome


def _answer_once(
    client: WebClient, bot_id: str | None, message: UserMessage, limits: Limits, addressed: bool
) -> Answered:
    intent = read_intent(message, addressed)
    if intent is None:
        return Answered(Outcome.IGNORED)
    runs = _runs_in_thread(client, bot_id, message)
    answer = intent.answer(message.run_before(runs), limits)
    if answer is None and addressed:  # for the bot, but nothing to run
        answer = HelpAnswer()
    if answer is None:
        return Answered(Outcome.IGNORED)
    replies = replies_to(runs, message.ts)
    if replies:
        _delete(client, message.channel, [reply.ts for reply in replies[1:]])
        return Answered(Outcome.DUPLICATE)
    reply = Reply(answer, message.channel, thread_ts=message.root, source_ts=message.ts)
    posted = send_reply(client, reply, limits.max_rounds)
    if _answered_elsewhere(client, bot_id, message, posted):
        return Answered(Outcome.DUPLICATE)
    rerun = isinstance(answer, RunAnswer) and answer.rerun
    return Answered(answer.outcome, Kind.RERUN if rerun else None)


def _runs_in_thread(client: WebClient, bot_id: str | None, message: UserMessage) -> list[StoredRun]:
    return bot_runs(read_thread(client, message.channel, message.root), bot_id)


def _answered_elsewhere(
    client: WebClient, bot_id: str | None, message: UserMessage, posted_ts: str
) -> bool:
    """Two instances can answer one message at once (a retry served while the first delivery
    still is): both post, then read the thread again, and the later reply is deleted."""
    runs = _runs_in_thread(client, bot_id, message)
    if not answered_before(runs, message.ts, posted_ts):
        return False
    _delete(client, message.channel, [posted_ts])
    return True


def _delete(client: WebClient, channel: str, timestamps: list[str]) -> None:
    """Delete the bot's own messages; one already gone (another instance's work) is fine."""
    for ts in timestamps:
        try:
            client.chat_delete(channel=channel, ts=ts)
        except SlackApiError as error:
            if error.response.get("error") != "message_not_found":
                raise
