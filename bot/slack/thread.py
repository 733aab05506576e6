"""What a thread holds: the bot's earlier runs, kept in message metadata, so that any instance
can serve any rerun without a database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from slack_sdk import WebClient

RUN_EVENT = "sysbot_run"
METADATA_VERSION = 1
# Slack publishes no number for its metadata size limit; stay well under any plausible one.
METADATA_DEFINITION_LIMIT = 8000
# What a reply held; only a "run" can be rerun.
StoredOutcome = Literal["run", "error", "help", "removed"]


@dataclass(frozen=True)
class StoredRun:
    """A run as the bot's own message remembers it."""

    ts: str
    definition: str | None
    rounds: int
    source_ts: str
    outcome: str

    @property
    def rerunnable(self) -> bool:
        return self.outcome == "run" and self.definition is not None


def run_metadata(
    definition: str, rounds: int, source_ts: str = "", outcome: StoredOutcome = "run"
) -> dict:
    """Metadata for a reply; `source_ts` is the user message it answers, for deduplication."""
    stored = definition if len(definition) <= METADATA_DEFINITION_LIMIT else None
    payload = {
        "v": METADATA_VERSION,
        "rounds": rounds,
        "source_ts": source_ts,
        "outcome": outcome,
        "definition": stored or "",
        "stored": stored is not None,
    }
    return {"event_type": RUN_EVENT, "event_payload": payload}


def stored_run(message: dict) -> StoredRun | None:
    """The run a bot message remembers, or None for any other message."""
    metadata = message.get("metadata") or {}
    payload = metadata.get("event_payload")
    if metadata.get("event_type") != RUN_EVENT or not isinstance(payload, dict):
        return None
    definition = payload.get("definition") if payload.get("stored") else None
    rounds = payload.get("rounds")
    return StoredRun(
        ts=message.get("ts", ""),
        definition=definition if isinstance(definition, str) else None,
        rounds=rounds if isinstance(rounds, int) and not isinstance(rounds, bool) else 10,
        source_ts=str(payload.get("source_ts") or ""),
        outcome=str(payload.get("outcome") or "run"),
    )


def read_thread(client: WebClient, channel: str, thread_ts: str) -> list[dict]:
    """Every message of a thread, parent first, with full metadata."""
    messages: list[dict] = []
    cursor = None
    while True:
        page = client.conversations_replies(
            channel=channel, ts=thread_ts, cursor=cursor, include_all_metadata=True, limit=200
        )
        messages += page.get("messages") or []
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return messages


def bot_runs(messages: list[dict], bot_id: str | None) -> list[StoredRun]:
    """The bot's own runs in a thread, oldest first."""
    runs = []
    for message in messages:
        if bot_id and message.get("bot_id") not in (None, bot_id):
            continue
        run = stored_run(message)
        if run is not None:
            runs.append(run)
    return runs


def previous_run(runs: list[StoredRun], before_ts: str | None = None) -> StoredRun | None:
    """The newest rerunnable run, older than `before_ts` when given."""
    candidates = [
        r for r in runs if r.rerunnable and (before_ts is None or _older(r.ts, before_ts))
    ]
    return candidates[-1] if candidates else None


def replies_to(runs: list[StoredRun], source_ts: str) -> list[StoredRun]:
    """The bot's replies to a user message, oldest first: more than one only when two instances
    answered it at the same moment."""
    replies = [r for r in runs if source_ts and r.source_ts == source_ts]
    return sorted(replies, key=lambda r: _ts_key(r.ts))


def answered_before(runs: list[StoredRun], source_ts: str, ts: str) -> bool:
    """Whether a reply to `source_ts` older than the bot's message `ts` is in the thread."""
    return any(_older(r.ts, ts) for r in replies_to(runs, source_ts))


def _older(ts: str, other: str) -> bool:
    try:
        return float(ts) < float(other)
    except ValueError:
        return ts < other


def _ts_key(ts: str) -> tuple[float, str]:
    try:
        return float(ts), ts
    except ValueError:
        return float("inf"), ts
