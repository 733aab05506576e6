"""Finding the run behind a button: the clicked message's metadata, else the thread."""

from __future__ import annotations

import json
from dataclasses import dataclass

from slack_sdk import WebClient

from bot.slack.thread import StoredRun, read_thread, stored_run


@dataclass(frozen=True)
class ClickedRun:
    channel: str
    thread_ts: str
    run: StoredRun | None
    value: dict


def clicked_run(client: WebClient, body: dict) -> ClickedRun:
    container = body.get("container") or {}
    message = body.get("message") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id", "")
    ts = container.get("message_ts") or message.get("ts", "")
    thread_ts = message.get("thread_ts") or ts
    if not all(isinstance(value, str) for value in (channel, ts, thread_ts)):
        return ClickedRun("", "", None, {})  # Slack sends these ids as strings: nothing to find
    run = stored_run(message) if _has_payload(message) else None
    if run is None and ts and not container.get("is_ephemeral"):
        found = [m for m in read_thread(client, channel, thread_ts) if m.get("ts") == ts]
        run = stored_run(found[0]) if found else None
    return ClickedRun(channel, thread_ts, run, _button_value(body))


def _has_payload(message: dict) -> bool:
    return isinstance((message.get("metadata") or {}).get("event_payload"), dict)


def _button_value(body: dict) -> dict:
    actions = body.get("actions") or [{}]
    try:
        value = json.loads(actions[0].get("value") or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
