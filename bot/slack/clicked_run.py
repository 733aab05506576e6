"""The run behind a result's button, read from the clicked message's metadata, or else from the
button's own value, or else from its thread; and what a button says when it can't do its work:
the run can no longer be found, or the bot is not a member of the channel (so it can neither
read the thread nor post there)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from slack_bolt import Ack, Respond
from slack_sdk.errors import SlackApiError

from bot.logs import Outcome
from bot.slack.answering.reply import is_not_a_member, reply_privately
from bot.slack.context import SlackRequest
from bot.slack.stored import StoredRun, stored_run
from bot.slack.thread import Thread

RUN_GONE = (
    "I can't find the model behind this result any more (it may be too long to keep in the "
    "message), so post it again with `/model`."
)
NOT_A_MEMBER = (
    "I'm not a member of this channel, so I can't read this result's thread or answer in it. "
    "`/invite` me and press the button again."
)


@dataclass(frozen=True)
class ClickedRun:
    channel: str
    thread_ts: str
    run: StoredRun  # rerunnable
    value: dict  # the button's value


def on_clicked_run(
    ack: Ack,
    body: dict,
    request: SlackRequest,
    respond: Respond,
    work: Callable[[ClickedRun], Outcome],
) -> Outcome:
    """Acknowledge a click and do the button's `work` on the run behind it; tell the person who
    clicked when the run is gone or the bot is not in the channel."""
    ack()
    try:
        clicked = _clicked_run(request, body)
        if clicked is None:
            reply_privately(respond, RUN_GONE)
            return Outcome.RUN_NOT_FOUND
        return work(clicked)
    except SlackApiError as error:
        if not is_not_a_member(error):
            raise
        reply_privately(respond, NOT_A_MEMBER)
        return Outcome.NOT_IN_CHANNEL


def _clicked_run(request: SlackRequest, body: dict) -> ClickedRun | None:
    """The run behind the click: from the clicked message when Slack sent its metadata, else
    from the button's value when it carries the definition (whether Slack sends a clicked
    message's metadata is not documented), else read from the thread; in every case only from
    a message of the bot's own."""
    container = body.get("container") or {}
    message = body.get("message") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id", "")
    ts = container.get("message_ts") or message.get("ts", "")
    thread_ts = message.get("thread_ts") or ts
    if not all(isinstance(value, str) for value in (channel, ts, thread_ts)):
        return None  # Slack sends these ids as strings: nothing to find
    value = _button_value(body)
    run = stored_run(message, request.bot_id) if _has_payload(message) else None
    if run is None and ts and not container.get("is_ephemeral"):
        run = _carried_run(message, ts, value, request.bot_id)
        run = run or Thread(request.client, channel, thread_ts, request.bot_id).own_message(ts)
    if run is None or not run.rerunnable:
        return None
    return ClickedRun(channel, thread_ts, run, value)


def _carried_run(message: dict, ts: str, value: dict, bot_id: str | None) -> StoredRun | None:
    """The run a button of the bot's own message carries in its value (bot/render/blocks.py
    puts the definition there when it fits); None when it carries none."""
    definition, rounds = value.get("definition"), value.get("rounds")
    if not (bot_id and message.get("bot_id") == bot_id and isinstance(definition, str)):
        return None
    if not isinstance(rounds, int) or isinstance(rounds, bool):
        return None
    return StoredRun(ts, definition, rounds, source_ts="", outcome="run")


def _has_payload(message: dict) -> bool:
    return isinstance((message.get("metadata") or {}).get("event_payload"), dict)


def _button_value(body: dict) -> dict:
    actions = body.get("actions") or [{}]
    try:
        value = json.loads(actions[0].get("value") or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
