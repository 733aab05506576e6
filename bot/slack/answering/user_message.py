"""A person's message, and what it asks of the bot: a run of the model it holds, a rerun of the
run before it in the thread with some changes, or nothing at all."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.chat.reader import TextTooLong, looks_like_model, read_request
from bot.chat.rerun import Rerun, read_rerun
from bot.model import ModelError
from bot.slack.answering.answer import Answer, ErrorAnswer, ModelRun, RunLimits
from bot.slack.stored import StoredRun

RERUN_HEADING = ":repeat: Rerun"
_TS = re.compile(r"\d{1,12}\.\d{1,6}")


@dataclass(frozen=True)
class UserMessage:
    """A person's message, as an event carries it."""

    channel: str
    ts: str
    text: str
    thread_ts: str | None = None

    @classmethod
    def from_event(cls, channel: object, message: object) -> UserMessage | None:
        """The message; None when a bot sent it, or when an id or its text is not what Slack
        sends (the bot passes them back to Slack, and keeps the ts in its reply's metadata)."""
        if not isinstance(channel, str) or not isinstance(message, dict):
            return None
        ts, text, thread_ts = message.get("ts"), message.get("text"), message.get("thread_ts")
        if not is_ts(ts) or not (thread_ts is None or is_ts(thread_ts)):
            return None
        if not (text is None or isinstance(text, str)):
            return None
        if message.get("bot_id") or message.get("subtype") == "bot_message":
            return None
        return cls(channel, ts, text or "", thread_ts)

    @property
    def root(self) -> str:
        """The thread the answer goes in: the message's own, or one it starts."""
        return self.thread_ts or self.ts

    @property
    def in_thread(self) -> bool:
        return self.root != self.ts


@dataclass(frozen=True)
class Intent:
    """What a message asks of the bot, read from its text before its thread is read."""

    rerun: Rerun | None = None  # a change to the run before it in the thread
    run: ModelRun | None = None  # a model of its own
    unreadable: ErrorAnswer | None = None  # options it can't read, such as `rounds=2.5`
    heading: str | None = None

    @property
    def needs_previous_run(self) -> bool:
        """Whether the answer needs the run before the message in its thread (a change to it):
        only then is the thread read for a first answer."""
        return self.rerun is not None and self.unreadable is None

    def answer(self, previous: StoredRun | None, limits: RunLimits) -> Answer | None:
        """The answer, or None when there is nothing to run."""
        if self.unreadable is not None:
            return self.unreadable
        if previous is not None and self.rerun is not None:
            heading = self.heading or RERUN_HEADING
            return ModelRun.rerunning(previous, self.rerun, heading).answer(limits)
        return None if self.run is None else self.run.answer(limits)


def read_intent(message: UserMessage, addressed: bool, heading: str | None = None) -> Intent | None:
    """What the message asks for; None when it is not for the bot and asks nothing of it, so
    that its thread needs no reading."""
    try:
        request = read_request(message.text)
    except TextTooLong as error:  # left unread: said only to a message for the bot, not echoed
        return Intent(unreadable=ErrorAnswer(error, "", heading=heading)) if addressed else None
    except ModelError as error:
        if not (message.in_thread or addressed):
            return None
        return Intent(unreadable=ErrorAnswer(error, message.text, heading=heading))
    rerun = read_rerun(message.text, addressed) if message.in_thread else None
    wants_model = looks_like_model(request) or (addressed and request.fenced)
    if not (rerun or wants_model or addressed):
        return None
    run = ModelRun.of(request, heading) if wants_model else None
    return Intent(rerun, run, heading=heading)


def is_ts(value: object) -> bool:
    """Whether `value` has the shape of a Slack message ts, "1712345678.000100"."""
    return isinstance(value, str) and bool(_TS.fullmatch(value))
