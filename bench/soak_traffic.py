"""The soak's traffic: concurrent clients acting as Slack and as API callers.

Each request is one `Record`: what was sent, where the reply belongs and what it must hold.
Events are delivered the way Slack delivers them: Slack gives up on an answer after 3 s and
redelivers an event that got a non-2xx or no answer, up to three times (`X-Slack-Retry-Num`);
a share of events is also redelivered on purpose (after the answer, to the other server, or at
the same time as the first delivery). Commands and clicks are never redelivered by Slack.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from bench.soak_world import CHANNELS, DIRECT, SIGNING_SECRET, World, post
from bot.render.blocks import ACTION_CSV, ACTION_MORE_ROUNDS
from slack_standin import BOT_USER_ID
from slack_standin.sender import BotResponse, SlackSender, signature_headers

SLACK_TIMEOUT = 3.0  # Slack's patience with an event, a command or a click
# Slack redelivers an event while its first delivery is still being handled only once it has
# waited 3 s for it: so a first delivery with a concurrent redelivery is sent as signed 3 s ago,
# and its answer, however quick here, is one Slack no longer waits for.
STILL_WAITING = 3
CLIENT_TIMEOUT = 30.0  # commands, clicks and API calls are waited for, to check the answer
MAX_RETRIES = 3
RETRY_PAUSES = (0.0, 0.2, 0.5, 1.0)  # Slack waits about 0 s, 1 min and 5 min; shortened
EXTRA_SHARE = 0.15  # events redelivered on purpose, as Slack sometimes does
EXTRA_MODES = ("after", "other", "concurrent")
WEIGHTS = {
    "command": 20,
    "mention": 14,
    "message": 8,
    "dm": 6,
    "rerun": 14,
    "edit": 7,
    "more_rounds": 8,
    "csv": 5,
    "api": 18,
}
NEEDS_THREAD = {"rerun", "more_rounds", "csv"}
EVENT_KINDS = {"mention", "message", "dm", "rerun", "edit"}
TEMPLATES = (
    "[Quokkas] > Wombats @ {a}\nWombats > Numbats @ {p}\nNumbats > Bilbies @ Leak({q})",
    "Dugongs({n}) > Platypi @ Leak({q})",
    "[Kelpies] > Dingoes(0, {cap}) @ {a}\nDingoes > Echidnas @ Conversion({p})",
    "[Quolls] > Possums @ {a}\nPossums > Gliders @ Possums / {d}",
)
# Every stock name above: none may appear in a server log.
STOCK_NAMES = (
    "Quokkas Wombats Numbats Bilbies Dugongs Platypi Kelpies Dingoes Echidnas Quolls Possums "
    "Gliders"
).split()


@dataclass
class Delivery:
    event_id: str
    status: int | None  # None: no answer within the timeout, or the connection failed
    text: str
    seconds: float
    retry: int
    server: int
    extra: bool = False  # redelivered on purpose rather than after a failure

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


@dataclass
class Record:
    """One request of the soak and what its reply must be."""

    index: int
    kind: str
    server: int = 0
    user: str = ""
    channel: str = ""
    ts: str = ""  # the user's message, for events
    root: str = ""  # the thread the reply belongs in ("" for a top-level reply)
    definition: str = ""
    rounds: int = 0
    extra: str = ""  # how a Slack-style redelivery was sent, if one was
    deliveries: list[Delivery] = field(default_factory=list)
    problem: str = ""  # a failure the client saw at once (API numbers, a client error)

    @property
    def event_ids(self) -> list[str]:
        return sorted({d.event_id for d in self.deliveries if d.event_id})


@dataclass(frozen=True)
class Answered:
    """A user message the bot answered with a run: a place for reruns, clicks and edits."""

    kind: str
    channel: str
    ts: str
    root: str
    text: str
    definition: str
    rounds: int
    reply: dict


class Pools:
    """Answered messages: threads to rerun and click in, and messages to edit (once each).

    Kept apart, so a thread's runs all share one definition and every expectation is exact.
    """

    def __init__(self) -> None:
        self._threads: list[Answered] = []
        self._editable: list[Answered] = []
        self._lock = threading.Lock()

    def add(self, answered: Answered, rng: random.Random) -> None:
        with self._lock:
            (self._editable if rng.random() < 0.3 else self._threads).append(answered)

    def thread(self, rng: random.Random) -> Answered | None:
        with self._lock:
            return rng.choice(self._threads) if self._threads else None

    def editable(self, rng: random.Random) -> Answered | None:
        with self._lock:
            if not self._editable:
                return None
            return self._editable.pop(rng.randrange(len(self._editable)))


def definition(rng: random.Random) -> str:
    return rng.choice(TEMPLATES).format(
        a=rng.randint(1, 9),
        p=f"0.{rng.randint(1, 9)}",
        q=f"0.{rng.randint(10, 95)}",
        n=rng.randint(10, 500),
        cap=rng.randint(5, 60),
        d=rng.randint(2, 7),
    )


def message_text(kind: str, model: str, rounds: int) -> str:
    """How each kind of user message holds its model."""
    if kind == "mention":
        return f"<@{BOT_USER_ID}> please run this\n```systems\n{model}\n```\nrounds={rounds}"
    if kind == "message":
        return f"Our latest guess:\n```systems\n{model}\n```\nrounds={rounds}"
    return f"rounds={rounds}\n{model}"


def more_rounds(rounds: int, max_rounds: int = 1000) -> int:
    """What the More rounds button asks for (bot.render.blocks._buttons)."""
    return min(max(rounds * 2, 10), max_rounds)


class SoakSender(SlackSender):
    """SlackSender whose requests go through the soak's client and are kept on the record."""

    def __init__(self, world: World, record: Record) -> None:
        super().__init__(world.standin, "", SIGNING_SECRET)
        self.world = world
        self.record = record

    def post(
        self, body: str, content_type: str, extra_headers=None, url=None, signed_at=None
    ) -> BotResponse:
        headers = self.signed_headers(body, content_type, extra_headers, signed_at)
        port = self.world.slack_ports[self.record.server]
        answer = post(port, body, headers, CLIENT_TIMEOUT)
        self.record.deliveries.append(
            Delivery("", answer.status, answer.text, answer.seconds, 0, self.record.server)
        )
        return BotResponse(answer.status or 0, answer.text)


class Traffic:
    """Sends `requests` mixed requests from `clients` threads, stopping at `deadline`."""

    def __init__(self, world: World, seed: int, deadline: float) -> None:
        self.world = world
        self.seed = seed
        self.deadline = deadline
        self.pools = Pools()
        self.servers = len(world.slack_ports)

    def run(self, requests: int, clients: int) -> list[Record]:
        with ThreadPoolExecutor(clients, thread_name_prefix="soak-client") as pool:
            records = list(pool.map(self.one, range(requests)))
        return [record for record in records if record is not None]

    def one(self, index: int) -> Record | None:
        if time.monotonic() > self.deadline:
            return None
        rng = random.Random(f"{self.seed}:{index}")
        kind = self._kind(rng)
        record = Record(index, kind, rng.randrange(self.servers), user=f"U{index:06d}")
        try:
            ACTIONS[kind](self, record, rng)
        except Exception as error:  # the soak reports a broken client; it never hides one
            record.problem = f"client error: {error!r}"
        return record

    def _kind(self, rng: random.Random) -> str:
        kind = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
        if kind in NEEDS_THREAD and self.pools.thread(rng) is None:
            return "mention"
        return kind

    # -- requests ------------------------------------------------------------------------------

    def command(self, record: Record, rng: random.Random) -> None:
        record.channel = rng.choice(CHANNELS)
        record.definition, record.rounds = definition(rng), rng.randint(1, 40)
        text = message_text("command", record.definition, record.rounds)
        SoakSender(self.world, record).command(text, channel=record.channel, user=record.user)

    def new_message(self, record: Record, rng: random.Random) -> None:
        """A fresh user message: a mention, a code block in a channel, or a direct message."""
        record.channel = rng.choice(DIRECT if record.kind == "dm" else CHANNELS)
        record.definition, record.rounds = definition(rng), rng.randint(1, 40)
        text = message_text(record.kind, record.definition, record.rounds)
        sender = SoakSender(self.world, record)
        event = sender.user_message(text, channel=record.channel, user=record.user)
        record.ts = record.root = event["ts"]
        if record.kind == "mention":
            self.deliver(record, sender.as_mention(event), rng, "a")
            if rng.random() < 0.5:  # Slack also sends a mention as a message event
                self.deliver(record, event, rng, "b")
        else:
            self.deliver(record, event, rng, "a")
        self._remember(record, text, rng)

    def rerun(self, record: Record, rng: random.Random) -> None:
        place = self.pools.thread(rng)
        record.channel, record.root, record.definition = place.channel, place.root, place.definition
        record.rounds = rng.randint(1, 60)
        sender = SoakSender(self.world, record)
        event = sender.user_message(
            f"rounds={record.rounds}",
            channel=record.channel,
            thread_ts=record.root,
            user=record.user,
        )
        record.ts = event["ts"]
        self.deliver(record, event, rng, "a")

    def edit(self, record: Record, rng: random.Random) -> None:
        place = self.pools.editable(rng)
        if place is None:
            record.kind = "mention"
            return self.new_message(record, rng)
        record.channel, record.ts, record.root = place.channel, place.ts, place.root
        record.definition, record.rounds = definition(rng), rng.randint(1, 40)
        text = message_text(place.kind, record.definition, record.rounds)
        edited = self.world.standin.edit_user_message(place.channel, place.ts, text)
        self.deliver(record, edit_event(place, edited, record.user), rng, "a")

    def click(self, record: Record, rng: random.Random) -> None:
        place = self.pools.thread(rng)
        record.channel, record.root, record.definition = place.channel, place.root, place.definition
        more = record.kind == "more_rounds"
        record.rounds = more_rounds(place.rounds) if more else place.rounds
        action = ACTION_MORE_ROUNDS if more else ACTION_CSV
        SoakSender(self.world, record).click(
            place.channel, place.reply, action, user=record.user, with_metadata=rng.random() < 0.5
        )

    def api(self, record: Record, rng: random.Random) -> None:
        record.definition, record.rounds = definition(rng), rng.randint(0, 60)
        body = json.dumps({"definition": record.definition, "rounds": record.rounds})
        answer = post(
            self.world.api_port, body, {"Content-Type": "application/json"}, CLIENT_TIMEOUT
        )
        record.deliveries.append(Delivery("", answer.status, answer.text, answer.seconds, 0, 0))

    # -- Slack's delivery of events ------------------------------------------------------------

    def deliver(self, record: Record, event: dict, rng: random.Random, suffix: str) -> None:
        """Deliver one event as Slack would, redelivering it after a failure or on purpose."""
        event_id = f"Ev{self.seed:03d}{record.index:07d}{suffix}"
        envelope = SlackSender(self.world.standin, "", SIGNING_SECRET).envelope(event, event_id)
        body = json.dumps(envelope)
        mode = rng.choice(EXTRA_MODES) if rng.random() < EXTRA_SHARE else ""
        record.extra = record.extra or mode
        other = (record.server + 1) % self.servers
        send = self._sender(record, event_id, body)
        if mode == "concurrent":
            target = rng.choice([record.server, other])
            alongside = threading.Thread(target=send, args=(target, 1, True))
            alongside.start()
        send(record.server, 0, signed_ago=STILL_WAITING if mode == "concurrent" else 0)
        if mode == "concurrent":
            alongside.join()
        elif mode:
            send(record.server if mode == "after" else other, 1, True)
        self._retry_until_taken(record, event_id, send, rng, 1 if mode else 0)

    def _sender(self, record: Record, event_id: str, body: str) -> Callable[..., None]:
        def send(server: int, retry: int, extra: bool = False, signed_ago: int = 0) -> None:
            headers = signature_headers(body, SIGNING_SECRET, int(time.time()) - signed_ago)
            if retry:
                headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
            answer = post(self.world.slack_ports[server], body, headers, SLACK_TIMEOUT)
            status = None if signed_ago >= SLACK_TIMEOUT else answer.status
            record.deliveries.append(
                Delivery(event_id, status, answer.text, answer.seconds, retry, server, extra)
            )

        return send

    def _retry_until_taken(
        self, record: Record, event_id: str, send: Callable[..., None], rng, retry: int
    ) -> None:
        """Slack redelivers until one delivery got a 2xx in time, at most three times."""
        while retry < MAX_RETRIES and not any(
            d.ok for d in record.deliveries if d.event_id == event_id
        ):
            retry += 1
            time.sleep(RETRY_PAUSES[retry])
            send(rng.randrange(self.servers), retry)

    def _remember(self, record: Record, text: str, rng: random.Random) -> None:
        """Offer an answered message to later reruns, clicks and edits."""
        thread = self.world.standin.thread(record.channel, record.root)
        replies = [m for m in thread if source_ts(m) == record.ts]
        if len(replies) != 1 or run_payload(replies[0]).get("outcome") != "run":
            return
        answered = Answered(
            record.kind,
            record.channel,
            record.ts,
            record.root,
            text,
            record.definition,
            record.rounds,
            replies[0],
        )
        self.pools.add(answered, rng)


ACTIONS: dict[str, Callable[[Traffic, Record, random.Random], None]] = {
    "command": Traffic.command,
    "mention": Traffic.new_message,
    "message": Traffic.new_message,
    "dm": Traffic.new_message,
    "rerun": Traffic.rerun,
    "edit": Traffic.edit,
    "more_rounds": Traffic.click,
    "csv": Traffic.click,
    "api": Traffic.api,
}


def run_payload(message: dict) -> dict:
    """The sysbot_run metadata payload of a bot message ({} for any other message)."""
    metadata = message.get("metadata") or {}
    payload = metadata.get("event_payload") if metadata.get("event_type") == "sysbot_run" else None
    return payload if isinstance(payload, dict) else {}


def source_ts(message: dict) -> str:
    return str(run_payload(message).get("source_ts") or "") if message.get("bot_id") else ""


def edit_event(place: Answered, edited: dict, user: str) -> dict:
    """The message_changed event Slack sends when the author edits `place`'s message."""
    message = {"type": "message", "user": edited.get("user", user), "text": edited["text"]}
    message |= {"ts": place.ts, "edited": edited.get("edited", {})}
    if place.root != place.ts:
        message["thread_ts"] = place.root
    now = f"{time.time():.6f}"
    previous = {"type": "message", "user": message["user"], "text": place.text, "ts": place.ts}
    return {
        "type": "message",
        "subtype": "message_changed",
        "hidden": True,
        "channel": place.channel,
        "message": message,
        "previous_message": previous,
        "ts": now,
        "event_ts": now,
        "channel_type": "im" if place.channel.startswith("D") else "channel",
    }
