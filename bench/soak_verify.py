"""Checking a soak run against the stand-in and the server logs.

Every request gets one outcome (ok, retried, apology, failed_logged) or a failure that says what
went wrong; the expected numbers are computed by `systems` itself.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from systems.parse import parse

from bench.soak_traffic import EVENT_KINDS, STOCK_NAMES, Record, run_payload, source_ts
from bench.soak_world import BOT_TOKEN, SIGNING_SECRET, World
from bot.render.blocks import TABLE_MAX_ROWS, sample
from bot.render.numbers import display_number, json_number
from bot.slack.answering.exactly_once import EDIT_HEADING
from bot.slack.failures import APOLOGY, LATE_APOLOGY, SLACK_APOLOGY, TRANSIENT_SLACK_ERRORS

CLICK_KINDS = {"more_rounds", "csv"}
# Outcomes of a request Slack's failure (or its deadline) left unanswered, or asked to retry.
LOGGED_FAILURES = {"slack_error", "slack_unreachable", "deadline_passed", "in_flight"}
APOLOGIES = {APOLOGY, SLACK_APOLOGY, LATE_APOLOGY}


@dataclass
class Verdict:
    outcomes: Counter = field(default_factory=Counter)  # (kind, outcome)
    failures: list[str] = field(default_factory=list)
    attributed: set[str] = field(default_factory=set)  # ts of bot messages accounted for
    edited: set[tuple[str, str]] = field(default_factory=set)  # messages edited later
    by_record: dict[int, str] = field(default_factory=dict)  # index -> outcome
    failed: set[int] = field(default_factory=set)  # indexes of records with a failure
    logged: Counter = field(default_factory=Counter)  # (kind, outcome) in the server logs
    deleted: int = 0  # second replies an instance deleted after a race (chat.delete calls)

    def fail(self, record: Record | None, text: str) -> None:
        where = f"#{record.index} {record.kind} {record.channel}:{record.ts}: " if record else ""
        self.failures.append(where + text)
        if record is not None:
            self.failed.add(record.index)


# -- expected values, from `systems` -----------------------------------------------------------


@lru_cache(maxsize=4096)
def _systems_run(definition: str, rounds: int) -> tuple[tuple[str, ...], tuple[tuple, ...]]:
    model = parse(definition, tracebacks=False)
    visible = tuple(s.name for s in model.stocks if s.show)
    rows = tuple(
        (i, *(snap[name] for name in visible)) for i, snap in enumerate(model.run(rounds=rounds))
    )
    return visible, rows


def expected_table(definition: str, rounds: int) -> list[list[str]]:
    stocks, rows = _systems_run(definition, rounds)
    body = [[str(row[0]), *map(display_number, row[1:])] for row in rows]
    return [["round", *stocks], *sample(body, TABLE_MAX_ROWS - 1)]


def expected_csv(definition: str, rounds: int) -> str:
    stocks, rows = _systems_run(definition, rounds)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([["round", *stocks], *rows])
    return buffer.getvalue()


def expected_api(definition: str, rounds: int) -> dict:
    stocks, rows = _systems_run(definition, rounds)
    return {"columns": ["round", *stocks], "rows": [[json_number(v) for v in r] for r in rows]}


def table_problem(message: dict, definition: str, rounds: int) -> str:
    """Where the message's table first differs from what `systems` computes ("" if nowhere)."""
    got, expected = table_of(message), expected_table(definition, rounds)
    if got == expected:
        return ""
    if got is None:
        return "has no table"
    for number, (mine, theirs) in enumerate(zip(got, expected, strict=False)):
        if mine != theirs:
            return f"row {number} is {mine}, systems says {theirs}"
    return f"has {len(got)} rows, systems gives {len(expected)}"


def table_of(message: dict) -> list[list[str]] | None:
    for block in message.get("blocks") or []:
        if block.get("type") == "table":
            return [[cell.get("text") for cell in row] for row in block["rows"]]
    return None


# -- what Slack and the logs hold ----------------------------------------------------------------


class Slack:
    """The stand-in's final state, indexed the ways the checks look things up."""

    def __init__(self, world: World) -> None:
        state = world.standin.state()
        self.standin = world.standin
        self.bot: list[tuple[str, dict]] = []
        self.by_source: dict[tuple[str, str], list[dict]] = defaultdict(list)
        self.by_thread: dict[tuple[str, str], list[dict]] = defaultdict(list)
        self.commands: dict[str, list[tuple[str, dict]]] = defaultdict(list)
        self.ephemerals: dict[tuple[str, str], list[str]] = defaultdict(list)
        for channel in state["channels"]:
            self._index(channel)

    def _index(self, channel: dict) -> None:
        cid = channel["id"]
        for top in channel["messages"]:
            for message in [top, *top["replies"]]:
                if message.get("bot_id"):
                    self._index_bot(cid, message)
        for ephemeral in channel["ephemerals"]:
            self.ephemerals[(cid, ephemeral["recipient"])].append(ephemeral.get("text", ""))

    def _index_bot(self, channel: str, message: dict) -> None:
        self.bot.append((channel, message))
        if source_ts(message):
            self.by_source[(channel, source_ts(message))].append(message)
        if message.get("thread_ts") and message["thread_ts"] != message["ts"]:
            self.by_thread[(channel, message["thread_ts"])].append(message)
        elif message.get("text", "").startswith("<@U"):
            user = message["text"][2:].split(">", 1)[0]
            self.commands[user].append((channel, message))


def read_logs(paths: list[Path]) -> tuple[list[dict], str]:
    """The servers' `sysbot.handled` entries, and the whole text of every log."""
    entries, texts = [], []
    for path in paths:
        text = path.read_text(errors="replace") if path.exists() else ""
        texts.append(text)
        for line in text.splitlines():
            if '"sysbot.handled"' in line:
                entries.append(json.loads(line))
    return entries, "\n".join(texts)


# -- the checks ----------------------------------------------------------------------------------


def verify(records: list[Record], world: World, faults: float) -> Verdict:
    slack = Slack(world)
    entries, log_text = read_logs(world.logs)
    logged = {e.get("event_id") for e in entries if e.get("outcome") in LOGGED_FAILURES}
    verdict = Verdict(edited={(r.channel, r.ts) for r in records if r.kind == "edit"})
    verdict.logged.update((e.get("kind"), e.get("outcome")) for e in entries)
    verdict.deleted = len(world.standin.calls_to("chat.delete"))
    for record in records:
        _check_transport(verdict, record, faults, logged)
        if record.problem:
            verdict.fail(record, record.problem)
        outcome = CHECKS[record.kind](verdict, record, slack, logged)
        if outcome:
            verdict.outcomes[(record.kind, outcome)] += 1
            verdict.by_record[record.index] = outcome
    _check_clicks(verdict, [r for r in records if r.kind in CLICK_KINDS], slack)
    _check_unattributed(verdict, slack)
    _check_logs(verdict, entries, log_text)
    return verdict


def _check_transport(verdict: Verdict, record: Record, faults: float, logged: set) -> None:
    """Statuses: 2xx, or 5xx only for an event whose Slack calls failed (the bot asks for a
    retry) in a run with faults; commands, clicks and API calls must always be answered."""
    for delivery in record.deliveries:
        status = delivery.status
        if status is None and record.kind not in EVENT_KINDS:
            verdict.fail(record, f"no answer within the client timeout ({delivery.text})")
        elif status is not None and 400 <= status < 500:
            verdict.fail(record, f"answered {status}: {delivery.text[:200]}")
        elif (
            status is not None
            and status >= 500
            and not (faults and record.kind in EVENT_KINDS and delivery.event_id in logged)
        ):
            verdict.fail(record, f"answered {status} with no Slack failure logged")


def _event_reply(verdict: Verdict, record: Record, slack: Slack, logged: set) -> dict | str:
    """The one reply to an event's message, or the outcome when there is none to check."""
    replies = slack.by_source.get((record.channel, record.ts), [])
    verdict.attributed.update(m["ts"] for m in replies)
    if len(replies) > 1:
        verdict.fail(record, f"{len(replies)} replies to one message")
        return ""
    if not replies:
        if not set(record.event_ids) & logged:
            verdict.fail(record, "no reply, and no Slack failure logged for its events")
        return "failed_logged"
    reply = replies[0]
    if reply.get("thread_ts") != record.root:
        verdict.fail(record, f"reply in thread {reply.get('thread_ts')}, not {record.root}")
    return reply


def _check_event(verdict: Verdict, record: Record, slack: Slack, logged: set) -> str:
    reply = _event_reply(verdict, record, slack, logged)
    if isinstance(reply, str):
        return reply
    if (record.channel, record.ts) in verdict.edited:
        return _delivered(record)  # the edit's own record checks what the reply shows now
    problem = table_problem(reply, record.definition, record.rounds)
    if problem:
        verdict.fail(record, f"the reply's table {problem}")
    return _delivered(record)


def _check_edit(verdict: Verdict, record: Record, slack: Slack, logged: set) -> str:
    reply = _event_reply(verdict, record, slack, logged)
    if isinstance(reply, str):
        return reply
    updated = EDIT_HEADING in reply.get("text", "") and reply.get("edited")
    problem = table_problem(reply, record.definition, record.rounds)
    if updated and not problem:
        return _delivered(record)
    if updated:
        verdict.fail(record, f"the updated reply's table {problem}")
    elif not set(record.event_ids) & logged:
        verdict.fail(record, "the reply was not updated, and no Slack failure was logged")
    return "failed_logged"


def _delivered(record: Record) -> str:
    needed_retry = any(d.retry and not d.extra for d in record.deliveries)
    return "retried" if needed_retry else "ok"


def _check_command(verdict: Verdict, record: Record, slack: Slack, logged: set) -> str:
    posted = slack.commands.get(record.user, [])
    verdict.attributed.update(m["ts"] for _, m in posted)
    apologised = _told(slack, record)
    # Told its call was abandoned at the deadline: Slack may have posted the result all the same.
    unsure = LATE_APOLOGY in slack.ephemerals.get((record.channel, record.user), [])
    if len(posted) > 1 or (posted and apologised and not unsure):
        verdict.fail(record, f"{len(posted)} results posted, apology: {apologised}")
        return ""
    if not posted:
        if not apologised:
            verdict.fail(record, "no result posted and no apology")
        return "apology"
    channel, message = posted[0]
    if channel != record.channel or message.get("thread_ts"):
        verdict.fail(record, f"result posted in {channel} thread {message.get('thread_ts')}")
    problem = table_problem(message, record.definition, record.rounds)
    if problem:
        verdict.fail(record, f"the result's table {problem}")
    return "ok"


def _check_click(verdict: Verdict, record: Record, slack: Slack, logged: set) -> str:
    """Per click, only the apology; what clicks posted is checked per thread."""
    return "apology" if _told(slack, record) else "ok"


def _told(slack: Slack, record: Record) -> bool:
    """Whether the person was sent an apology through the request's response_url."""
    return bool(APOLOGIES & set(slack.ephemerals.get((record.channel, record.user), [])))


def _check_api(verdict: Verdict, record: Record, slack: Slack, logged: set) -> str:
    if not record.deliveries or record.deliveries[0].status != 200:
        return ""
    payload = json.loads(record.deliveries[0].text)
    expected = expected_api(record.definition, record.rounds)
    got = {"columns": payload.get("columns"), "rows": payload.get("rows")}
    if got != expected:
        verdict.fail(record, "the API's rows differ from what systems computes")
    return "ok"


CHECKS = {
    "command": _check_command,
    "mention": _check_event,
    "message": _check_event,
    "dm": _check_event,
    "rerun": _check_event,
    "edit": _check_edit,
    "more_rounds": _check_click,
    "csv": _check_click,
    "api": _check_api,
}


def _check_clicks(verdict: Verdict, clicks: list[Record], slack: Slack) -> None:
    """Each thread holds one More rounds run and one CSV per click that got no apology, and at
    most one more per click told that Slack was too slow (its post may have gone through)."""
    wanted: dict[tuple[str, str], Counter] = defaultdict(Counter)
    maybe: dict[tuple[str, str], Counter] = defaultdict(Counter)
    definitions = {}
    for record in clicks:
        place, key = (record.channel, record.root), (record.kind, record.rounds)
        if not _told(slack, record):
            wanted[place][key] += 1
        elif LATE_APOLOGY in slack.ephemerals.get((record.channel, record.user), []):
            maybe[place][key] += 1
        definitions[place] = record.definition
    for place in wanted.keys() | maybe.keys():
        found = _posted_by_clicks(verdict, slack, place, definitions[place])
        most = wanted[place] + maybe[place]
        if any(not wanted[place][k] <= found[k] <= most[k] for k in found.keys() | most.keys()):
            verdict.fail(
                None, f"thread {place}: clicks {dict(wanted[place])}, posted {dict(found)}"
            )


def _posted_by_clicks(verdict: Verdict, slack: Slack, place, definition: str) -> Counter:
    found: Counter = Counter()
    for message in slack.by_thread.get(place, []):
        payload = run_payload(message)
        if message.get("files"):
            rounds = _csv_rounds(slack, message, definition)
            found[("csv", rounds)] += 1
        elif message.get("text", "").startswith(":heavy_plus_sign:") and payload:
            rounds = payload.get("rounds")
            found[("more_rounds", rounds)] += 1
            problem = table_problem(message, definition, rounds)
            if problem:
                verdict.fail(None, f"thread {place}: a More rounds table {problem}")
        else:
            continue
        verdict.attributed.add(message["ts"])
    return found


def _csv_rounds(slack: Slack, message: dict, definition: str) -> int | None:
    """The rounds of the run a shared CSV holds, if it is exactly what systems computes."""
    content = slack.standin.file_content(message["files"][0]["id"]).decode()
    rounds = content.count("\n") - 2
    return rounds if content == expected_csv(definition, rounds) else None


def _check_unattributed(verdict: Verdict, slack: Slack) -> None:
    stray = [(c, m["ts"]) for c, m in slack.bot if m["ts"] not in verdict.attributed]
    if stray:
        verdict.fail(None, f"{len(stray)} bot messages answer no request, e.g. {stray[:5]}")


def _check_logs(verdict: Verdict, entries: list[dict], text: str) -> None:
    for secret in (SIGNING_SECRET, BOT_TOKEN, *STOCK_NAMES):
        if secret in text:
            verdict.fail(None, f"a server log holds {secret[:4]}… (a secret or a model)")
    broken = Counter(e.get("kind") for e in entries if e.get("outcome") == "failed")
    if broken:
        verdict.fail(None, f"listeners failed unexpectedly (see the logs): {dict(broken)}")
    refused = Counter(
        e.get("slack_error")
        for e in entries
        if e.get("outcome") == "slack_error" and e.get("slack_error") not in TRANSIENT_SLACK_ERRORS
    )
    if refused:
        verdict.fail(None, f"Slack refused calls for good: {dict(refused)}")
