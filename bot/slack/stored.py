"""A run as the bot's own reply remembers it, in the reply's message metadata: the definition and
rounds (to run it again with changes) and what a comparison with it needs (so that a rerun runs
only the new model), within a size Slack accepts. A sweep or a seek also keeps what it varied
(and the options given with it), and for its comparison each scenario's final values or the
value found.

Only the bot's own messages are believed: anyone can post a message carrying the same metadata,
so a run is read only from a message whose bot_id is the bot's, as auth.test gave it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Literal

from bot.model import ModelError, RunResult, Seek, SeekResult, Sweep, SweepResult
from bot.model.diff import compare_runs
from bot.model.scenario_syntax import as_value, read_number, read_seek, starting_text, sweep_of
from bot.model.systems_adapter import Value

RUN_EVENT = "sysbot_run"
METADATA_VERSION = 1
# Slack publishes no number for its metadata size limit; stay well under any plausible one.
METADATA_DEFINITION_LIMIT = 8000
# The most the rows kept for comparisons add to a payload, and the most a payload may reach with
# them (as JSON with every non-ASCII character escaped, as slack_sdk sends it).
SNAPSHOT_BYTES = 4000
PAYLOAD_BYTES = 12_000
SNAPSHOT_FRAME_BYTES = 80  # its keys, quotes and commas
# What a reply held; only a "run" can be rerun.
StoredOutcome = Literal["run", "error", "help", "removed"]
_INTEGER = re.compile(r"-?\d+")


@dataclass(frozen=True)
class Snapshot:
    """A run's values as a comparison needs them: its stocks, its first rows and its last row.

    Runs are deterministic, so a rerun of the same definition agrees with this run on every
    round both have; a rerun of another definition usually parts from it within the first rows.
    """

    stocks: list[str]
    leading: list[list]  # rows 0, 1, ... as kept: round number first
    final: list  # the last row
    rows: int  # how many rows the run had

    def before(self, result: RunResult, definition: str) -> RunResult | None:
        """This run as `compare_runs` needs it next to `result`, a run of `definition`; None
        when the rows kept can't tell where the two part (then the old run must be redone)."""
        if result.definition == definition:  # the same model: the same rows while both run
            if len(result.rows) >= self.rows:
                rows = result.rows[: self.rows]
            else:  # the rows past the new run's end differ only in being there; the last counts
                rows = [*result.rows, self.final]
            return RunResult(definition, self.rows - 1, self.stocks, rows)
        if len(self.leading) < self.rows and self._agrees_throughout(result):
            return None
        # The runs part within the rows kept; the last row stands in for those not kept, so that
        # the run has its length (where they part and the last values are all that is read).
        rows = [*self.leading, *[self.final] * (self.rows - len(self.leading))]
        return RunResult(definition, self.rows - 1, self.stocks, rows)

    def _agrees_throughout(self, result: RunResult) -> bool:
        """Whether some stock of both runs has the same values in every leading row kept, with
        the new run going on past them: where the two part is then beyond what was kept."""
        kept = len(self.leading)
        if len(result.rows) <= kept:
            return False
        mine = RunResult("", kept - 1, self.stocks, self.leading)
        theirs = RunResult("", kept - 1, result.stocks, result.rows[:kept])
        common = set(self.stocks) & set(result.stocks)
        return any(
            change.first_divergence is None
            for change in compare_runs(mine, theirs)
            if change.name in common
        )

    def encode(self) -> dict:
        return {
            "stocks": self.stocks,
            "leading": [_row_text(row) for row in self.leading],
            "final": _row_text(self.final),
            "rows": self.rows,
        }

    @classmethod
    def of(cls, result: RunResult, room: int) -> Snapshot | None:
        """The snapshot of a run in `room` bytes, as many leading rows as fit; None when not
        even the last does."""
        if not result.rows:
            return None
        final = _row_text(result.rows[-1])
        room -= len(final) + len(json.dumps(result.stocks)) + SNAPSHOT_FRAME_BYTES
        leading: list[list] = []
        for row in result.rows[:-1]:
            room -= len(_row_text(row)) + 3  # its quotes and comma in JSON
            if room < 0:
                break
            leading.append(row)
        if room < 0 and not leading:
            return None
        return cls(result.stocks, leading, result.rows[-1], len(result.rows))

    @classmethod
    def decode(cls, data: object) -> Snapshot | None:
        """The snapshot in a message's metadata; None for anything malformed."""
        if not isinstance(data, dict):
            return None
        stocks, leading, final, rows = (data.get(k) for k in ("stocks", "leading", "final", "rows"))
        if not (
            isinstance(stocks, list)
            and all(isinstance(name, str) for name in stocks)
            and isinstance(leading, list)
            and isinstance(rows, int)
            and 0 < rows
            and len(leading) < rows
        ):
            return None
        decoded = [_row(text, len(stocks)) for text in (*leading, final)]
        if any(row is None for row in decoded):
            return None
        *kept, last = decoded
        return cls(stocks, kept, last, rows)


@dataclass(frozen=True)
class StoredMany:
    """A sweep or a seek as its reply remembers it: what it varied, the `Name=value` options
    given with it (its definition is kept as sent), and for comparisons each scenario's final
    values (a sweep, when they fit) or the value found (a seek, None when none was)."""

    many: Sweep | Seek
    overrides: dict[str, str]
    finals: dict[Value, dict[str, object]] | None = None
    found: Value | None = None

    @classmethod
    def of(cls, result: SweepResult | SeekResult, overrides: dict[str, str]) -> StoredMany:
        if isinstance(result, SeekResult):
            found = None if result.answer is None else result.answer.value
            return cls(result.seek, dict(overrides), found=found)
        finals = {
            scenario.value: dict(
                zip(scenario.result.stocks, scenario.result.rows[-1][1:], strict=True)
            )
            for scenario in result.scenarios
            if scenario.result is not None
        }
        return cls(result.sweep, dict(overrides), finals=finals)

    def encode(self, room: int) -> dict:
        """As metadata; the finals only when they fit in `room` bytes."""
        data: dict = {"overrides": self.overrides}
        if isinstance(self.many, Sweep):
            values = [starting_text(value) for value in self.many.values]
            data["sweep"] = {"stock": self.many.stock, "values": values}
            finals = _encode_finals(self.finals or {})
            if len(json.dumps(finals)) <= room - len(json.dumps(data)):
                data["finals"] = finals
        else:
            data["seek"] = seek_setting(self.many)
            data["found"] = None if self.found is None else starting_text(self.found)
        return data

    @classmethod
    def decode(cls, data: object) -> StoredMany | None:
        """The sweep or seek in a message's metadata; None for anything malformed."""
        if not isinstance(data, dict):
            return None
        overrides = data.get("overrides")
        if not isinstance(overrides, dict) or not all(
            isinstance(name, str) and isinstance(text, str) for name, text in overrides.items()
        ):
            return None
        try:
            if "seek" in data:
                seek, found = data.get("seek"), data.get("found")
                if not isinstance(seek, str) or not (found is None or isinstance(found, str)):
                    return None
                value = None if found is None else as_value(read_number(found))
                return cls(read_seek(seek), overrides, found=value)
            sweep = data.get("sweep")
            if not isinstance(sweep, dict):
                return None
            stock, values = sweep.get("stock"), sweep.get("values")
            if not (isinstance(stock, str) and isinstance(values, list)):
                return None
            if not all(isinstance(value, str) for value in values):
                return None
            return cls(
                sweep_of({stock: ",".join(values)}), overrides, _decode_finals(data.get("finals"))
            )
        except ModelError:
            return None


def seek_setting(seek: Seek) -> str:
    """A seek as it is written after `find`, for read_seek to read back."""
    bounds = f" in {seek.bounds}" if seek.bounds is not None else ""
    at = f" at round {seek.goal.round}" if seek.goal.round is not None else ""
    return f"{seek.stock}{bounds}: {seek.goal}{at}"


def _encode_finals(finals: dict[Value, dict[str, object]]) -> dict:
    """Each scenario's value and final values, as text that reads back exactly."""
    stocks = next(iter(finals.values()), {})
    return {
        "stocks": list(stocks),
        "values": [starting_text(value) for value in finals],
        "rows": [_row_text(list(row.values())) for row in finals.values()],
    }


def _decode_finals(data: object) -> dict[Value, dict[str, object]] | None:
    if not isinstance(data, dict):
        return None
    stocks, values, rows = (data.get(key) for key in ("stocks", "values", "rows"))
    if not (
        isinstance(stocks, list)
        and all(isinstance(name, str) for name in stocks)
        and isinstance(values, list)
        and all(isinstance(value, str) for value in values)
        and isinstance(rows, list)
        and len(rows) == len(values)
    ):
        return None
    finals = {}
    for value, text in zip(values, rows, strict=True):
        row = _row(f"0,{text}", len(stocks))
        if row is None:
            return None
        finals[as_value(read_number(value))] = dict(zip(stocks, row[1:], strict=True))
    return finals


@dataclass(frozen=True)
class StoredRun:
    """A run as the bot's own message remembers it."""

    ts: str
    definition: str | None
    rounds: int
    source_ts: str
    outcome: str
    snapshot: Snapshot | None = None
    many: StoredMany | None = None  # a sweep's or a seek's

    @property
    def rerunnable(self) -> bool:
        return self.outcome == "run" and self.definition is not None


def run_metadata(
    definition: str,
    rounds: int,
    source_ts: str = "",
    outcome: StoredOutcome = "run",
    result: RunResult | None = None,
    many: StoredMany | None = None,
) -> dict:
    """Metadata for a reply; `source_ts` is the user message it answers, for deduplication;
    `result` the run it shows, kept for the comparison a rerun makes; `many` the sweep or seek
    it shows."""
    # A sweep's or seek's options are kept beside the definition, and count with it.
    kept = len(definition) + (len(json.dumps(many.overrides)) if many is not None else 0)
    stored = definition if kept <= METADATA_DEFINITION_LIMIT else None
    payload = {
        "v": METADATA_VERSION,
        "rounds": rounds,
        "source_ts": source_ts,
        "outcome": outcome,
        "definition": stored or "",
        "stored": stored is not None,
    }
    room = min(SNAPSHOT_BYTES, PAYLOAD_BYTES - len(json.dumps(payload)))
    if many is not None and stored is not None:
        payload["many"] = many.encode(room)
        room = min(SNAPSHOT_BYTES, PAYLOAD_BYTES - len(json.dumps(payload)))
    snapshot = Snapshot.of(result, room) if result is not None and stored is not None else None
    if snapshot is not None:
        payload["snapshot"] = snapshot.encode()
    return {"event_type": RUN_EVENT, "event_payload": payload}


def stored_run(message: dict, bot_id: str | None) -> StoredRun | None:
    """The run a message of the bot's own remembers; None for any other message, whatever
    metadata it carries."""
    if not bot_id or message.get("bot_id") != bot_id:
        return None
    metadata = message.get("metadata") or {}
    payload = metadata.get("event_payload")
    if metadata.get("event_type") != RUN_EVENT or not isinstance(payload, dict):
        return None
    definition = payload.get("definition") if payload.get("stored") else None
    rounds = payload.get("rounds")
    return StoredRun(
        ts=str(message.get("ts", "")),
        definition=definition if isinstance(definition, str) else None,
        rounds=rounds if isinstance(rounds, int) and not isinstance(rounds, bool) else 10,
        source_ts=str(payload.get("source_ts") or ""),
        outcome=str(payload.get("outcome") or "run"),
        snapshot=Snapshot.decode(payload.get("snapshot")),
        many=StoredMany.decode(payload["many"]) if "many" in payload else None,
    )


def _row_text(row: list) -> str:
    """A row's values (round number first) as text that reads back exactly: repr keeps every
    float's digits, and no number is turned into a JSON number some parser might round."""
    return ",".join(repr(value) for value in row)


def _row(text: object, stocks: int) -> list | None:
    if not isinstance(text, str):
        return None
    values = text.split(",")
    if len(values) != stocks + 1:
        return None
    try:
        return [int(v) if _INTEGER.fullmatch(v) else float(v) for v in values]
    except ValueError:
        return None
