"""Reading a thread, the store of the bot's earlier runs (bot/slack/stored.py), in a few bounded
windows rather than whole: whatever its length, a question about it costs at most three
`conversations.replies` calls.

Slack returns a thread's messages oldest first within the window asked for (`oldest`, `latest`),
a page at a time, and says `has_more` when the window held more than a page. So a window that
fits a page is seen whole; of one that doesn't, only its oldest part is. The questions:

- the bot's newest run before a message (what a rerun reruns): windows that end at the message
  and reach back, narrowed when they are crowded and widened when they are quiet;
- the bot's replies to a message: they come within minutes of it, so the first page after it;
- one message of the bot's, by its ts (what a button was pressed on).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from slack_sdk import WebClient

from bot.slack.stored import StoredRun, stored_run

logger = logging.getLogger(__name__)
PAGE_SIZE = 200  # Slack's recommended most; apps distributed outside the Marketplace get 15
MAX_READS = 3
FIRST_WINDOW_SECONDS = 600  # a rerun usually follows the run it changes within minutes
WIDER = 16  # how much further back the next window reaches when one held no run
MICROS = 1_000_000


@dataclass(frozen=True)
class Page:
    """The messages of one window, oldest first, and whether that is all of them."""

    messages: list[dict]
    complete: bool
    runs: list[StoredRun]  # what the bot's own messages among them remember


class Thread:
    """One thread as the bot reads it: only its own messages are believed."""

    def __init__(self, client: WebClient, channel: str, root: str, bot_id: str | None) -> None:
        self.client = client
        self.channel = channel
        self.root = root
        self.bot_id = bot_id

    def run_before(self, ts: str | None = None) -> StoredRun | None:
        """The bot's newest rerunnable run older than `ts` (None: the newest in the thread).

        Exact whenever the windows read reach back to it with no crowded stretch left unseen in
        between; when three reads can't tell (runs hundreds of messages apart in a thread read
        15 messages a page), the newest run they saw."""
        end = _micros(ts) if ts is not None else _micros(f"{time.time() + 60:.6f}")
        floor = _micros(self.root) - 1  # windows exclude their ends; this one keeps the root
        width = FIRST_WINDOW_SECONDS * MICROS
        crowded: tuple[int, int] | None = None  # a window seen only up to a ts: (start, ts)
        seen: list[StoredRun] = []  # every run seen, oldest first
        for reads_left in range(MAX_READS, 0, -1):
            start = max(floor, end - width, crowded[1] if crowded else floor)
            if reads_left == 1:  # the last: from the thread's start, where its first run often is
                start = floor
            page = self._window(start, end)
            runs = [run for run in page.runs if run.rerunnable]
            seen = sorted([*seen, *runs], key=lambda run: _micros(run.ts))
            if not page.complete:  # only its oldest part seen: narrower, to about half a page
                width = max(1, (_last(page) - start) // 2)
                crowded = (start, _last(page))
                continue
            if runs:
                return runs[-1]
            end = start
            if crowded is not None and start <= crowded[1]:  # the crowded window is seen whole
                end, crowded = crowded[0], None
                if seen:
                    return seen[-1]
            if end <= floor:
                return None
            width *= WIDER
        logger.info("stopped looking for the run before a message after %d reads", MAX_READS)
        return seen[-1] if seen else None

    def replies_to(self, source_ts: str) -> list[StoredRun]:
        """The bot's replies to a message, oldest first: more than one only when two instances
        answered it at the same moment. They follow it within minutes (the last retry of an
        event comes 5 minutes after it), so the first page after it holds them."""
        page = self._window(_micros(source_ts), None)
        return [run for run in page.runs if run.source_ts == source_ts]

    def own_message(self, ts: str) -> StoredRun | None:
        """The run remembered by the bot's message `ts`; None if it is not the bot's."""
        at = _micros(ts)
        page = self._window(at - 1, at + 1)
        return next((run for run in page.runs if run.ts == ts), None)

    def _window(self, oldest: int, latest: int | None) -> Page:
        """The messages strictly between `oldest` and `latest` (None: up to now)."""
        bounds = {"oldest": _ts(oldest)} | ({} if latest is None else {"latest": _ts(latest)})
        answer = self.client.conversations_replies(
            channel=self.channel,
            ts=self.root,
            include_all_metadata=True,
            limit=PAGE_SIZE,
            **bounds,
        )
        inside = [
            message for message in answer.get("messages") or [] if _inside(message, oldest, latest)
        ]
        inside.sort(key=lambda message: _micros(message["ts"]))
        runs = [run for run in (stored_run(m, self.bot_id) for m in inside) if run is not None]
        more = answer.get("has_more") or (answer.get("response_metadata") or {}).get("next_cursor")
        return Page(inside, not (more and inside), runs)


def _inside(message: dict, oldest: int, latest: int | None) -> bool:
    """Slack may add the thread's first message to any window; only the window counts here."""
    ts = message.get("ts")
    if not isinstance(ts, str) or _micros(ts) < 0:
        return False
    return oldest < _micros(ts) and (latest is None or _micros(ts) < latest)


def _last(page: Page) -> int:
    return _micros(page.messages[-1]["ts"])


def _micros(ts: str) -> int:
    """A Slack ts ("1712345678.000100") as whole microseconds; -1 for anything else."""
    seconds, _, fraction = ts.partition(".")
    if not (seconds.isdigit() and (fraction.isdigit() or not fraction) and len(fraction) <= 6):
        return -1
    return int(seconds) * MICROS + int(fraction.ljust(6, "0") or 0)


def _ts(micros: int) -> str:
    return f"{micros // MICROS}.{micros % MICROS:06d}"
