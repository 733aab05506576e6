"""Block Kit messages for runs, sweeps, seeks, comparisons and errors, always inside Slack's
limits."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import Enum, auto

from bot.model import ModelError, RunResult, Scenario, SeekResult, SweepResult
from bot.model.diff import StockChange
from bot.model.scenario_syntax import scenario_label
from bot.model.systems_adapter import Value
from bot.render.numbers import display_number
from bot.render.text import (
    error_text,
    most_changed_stock,
    quoted_line,
    ran_scenarios,
    samples_rows,
    search_note,
    seek_answer,
    seek_comparison,
    sweep_comparison,
    sweep_summary,
    sweep_warnings,
)

TABLE_MAX_ROWS = 100  # header included
TABLE_MAX_COLUMNS = 20  # round included
CHART_MAX_SERIES = 6
CHART_MAX_POINTS = 20
CHART_NAME_CHARS = 20
PLAIN_NAME_CHARS = 24  # keeps 100 rows of the text table well inside 50 blocks
CONTEXT_MAX_ELEMENTS = 10
TEXT_CHUNK = 2900
COMPARISON_MAX_ROWS = 30
FALLBACK_TEXT_CHARS = 3000
BUTTON_VALUE_CHARS = 2000  # Slack's limit on a button's value

ACTION_MORE_ROUNDS = "sysbot_more_rounds"
ACTION_EDIT = "sysbot_edit_rerun"
ACTION_CSV = "sysbot_csv"


class Fallback(Enum):
    """How far a message falls back when a workspace refuses its blocks: Slack's table and
    chart blocks are still rolling out. Richest first."""

    FULL = auto()
    WITHOUT_CHART = auto()
    PLAIN_TABLE = auto()


def run_message(
    result: RunResult,
    *,
    heading: str | None = None,
    changes: list[StockChange] | None = None,
    fallback: Fallback = Fallback.FULL,
    max_rounds: int = 1000,
    one_run: bool = True,
) -> dict:
    """`text` and `blocks` for one run: summary, comparison, table, chart, notes, buttons;
    `one_run` False for the run a seek found (see _buttons)."""
    blocks = [section(_summary(result, heading))]
    if changes:
        blocks += preformatted(comparison_text(changes))
    if fallback is Fallback.PLAIN_TABLE:
        blocks += preformatted(_plain_table(result))
    else:
        blocks.append(table_block(result))
    chart = line_chart(result) if fallback is Fallback.FULL else None
    if chart and chart.block:
        blocks.append(chart.block)
    notes = _notes(result, chart, fallback)
    if notes:
        blocks.append(context(notes))
    blocks.append(_buttons(result, max_rounds, one_run))
    return {"text": summary_text(result, heading), "blocks": blocks}


def error_message(error: ModelError, definition: str, heading: str | None = None) -> dict:
    """The error with a caret under the column, the hint, and the user's definition echoed."""
    title = f"{heading}\n" if heading else ""
    blocks = [section(f"{title}:warning: *{_escape(error.message)}*")]
    blocks += preformatted(_located_text(error))
    if error.hint:
        blocks.append(context([f"*Hint:* {_escape(error.hint)}"]))
    if definition.strip():
        blocks.append(context(["Your model, as you sent it:"]))
        blocks += preformatted(definition)
    return {"text": f"{title}{error_text(error)}"[:FALLBACK_TEXT_CHARS], "blocks": blocks}


def no_model_message(heading: str) -> dict:
    """The answer to an edit that took the model out of a message the bot had answered."""
    text = f"{heading}\nYour message no longer holds a model, so there is nothing to run."
    return {"text": text, "blocks": [section(text)]}


def sweep_message(
    result: SweepResult,
    *,
    heading: str | None = None,
    before: Mapping[Value, Mapping[str, object]] | None = None,
    fallback: Fallback = Fallback.FULL,
    max_rounds: int = 1000,
) -> dict:
    """`text` and `blocks` for a sweep: the summary, the comparison with the sweep before (for
    a rerun, `before` holding each of its values' final values), one table row per scenario,
    a chart of the stock that changes most with one line per scenario, notes and buttons."""
    stock, asked = result.sweep.stock, len(result.sweep.values)
    lead = f"{heading}\n" if heading else ""
    done = len(result.scenarios)
    count = f"{done} of {asked}" if result.truncated else f"{done}"
    title = f"*{count} scenario{'s' if asked != 1 else ''} of `{_escape(stock)}`*"
    blocks = [section(f"{lead}{title} — {_escape(sweep_summary(result))}")]
    if before is not None:
        lines = ["*Compared with the sweep before:*"]
        lines += [_escape(line) for line in sweep_comparison(result, before)]
        blocks += sections(lines)
    rows = _sweep_rows(result)
    if fallback is Fallback.PLAIN_TABLE:
        blocks += preformatted(_plain(rows, right_from=1))
    else:
        blocks.append(_table(rows))
    chart = sweep_chart(result) if fallback is Fallback.FULL else None
    if chart and chart.block:
        blocks.append(chart.block)
    notes = _sweep_notes(result, chart, fallback)
    if notes:
        blocks.append(context(notes))
    ran = ran_scenarios(result)
    if ran:
        blocks.append(_buttons(ran[0].result, max_rounds, one_run=False))
    text = f"{heading} " if heading else ""
    return {"text": (text + sweep_summary(result))[:FALLBACK_TEXT_CHARS], "blocks": blocks}


def _sweep_rows(result: SweepResult) -> list[list[str]]:
    """A header, then each scenario with the final value of each visible stock that fits."""
    ran = ran_scenarios(result)
    stocks = (ran[0].result.stocks if ran else [])[: TABLE_MAX_COLUMNS - 1]
    rows = [["scenario", *stocks]]
    for scenario in result.scenarios:
        label = scenario_label(result.sweep.stock, scenario.value)
        if scenario.result is None:
            rows.append([label, *(["error"] * len(stocks))])
        else:
            finals = scenario.result.rows[-1][1 : len(stocks) + 1]
            rows.append([label, *map(display_number, finals)])
    return rows


@dataclass(frozen=True)
class SweepChart:
    """A sweep's line chart of one stock (None when nothing can be drawn): the scenarios it
    draws, and those left out because some of their values can't be drawn."""

    block: dict | None
    stock: str | None
    drawn: list[Scenario]
    undrawable: list[Scenario]


def sweep_chart(result: SweepResult) -> SweepChart:
    """The stock that changes most across the scenarios, one line per scenario (evenly chosen
    when there are more than a chart holds), to the last round every scenario reached."""
    stock = most_changed_stock(result)
    ran = ran_scenarios(result)
    if stock is None:
        return SweepChart(None, None, [], [])
    rounds = chart_rounds(min(len(scenario.result.rows) for scenario in ran) - 1)
    drawable, undrawable = [], []
    for scenario in ran:
        column = scenario.result.stocks.index(stock) + 1
        values = [scenario.result.rows[r][column] for r in rounds]
        (drawable if all(map(_drawable, values)) else undrawable).append((scenario, values))
    drawn = sample(drawable, CHART_MAX_SERIES)
    series: list[dict] = []
    for scenario, values in drawn:
        series.append(_series(_value_name(result, scenario.value), series, rounds, values))
    block = _chart_block(f"{stock} by scenario", rounds, series) if series else None
    return SweepChart(block, stock, [s for s, _ in drawn], [s for s, _ in undrawable])


def _value_name(result: SweepResult, value: Value) -> str:
    label = scenario_label(result.sweep.stock, value)
    return label if len(label) <= CHART_NAME_CHARS else scenario_label("", value)[1:]


def _sweep_notes(result: SweepResult, chart: SweepChart | None, fallback: Fallback) -> list[str]:
    stock = result.sweep.stock
    notes = []
    if chart and chart.block and len(chart.drawn) < len(result.scenarios):
        labels = ", ".join(f"`{_escape(scenario_label(stock, s.value))}`" for s in chart.drawn)
        notes.append(
            f"The chart shows `{_escape(chart.stock)}` for {len(chart.drawn)} of the "
            f"{len(result.scenarios)} scenarios: {labels}."
        )
    if chart and chart.undrawable:
        labels = ", ".join(f"`{_escape(scenario_label(stock, s.value))}`" for s in chart.undrawable)
        notes.append(
            f"Left out of the chart: {labels}, where `{_escape(chart.stock)}` reaches infinity, "
            "NaN or numbers too large to draw."
        )
    ran = ran_scenarios(result)
    left_out = ran[0].result.stocks[TABLE_MAX_COLUMNS - 1 :] if ran else []
    if left_out:
        notes.append(f":scissors: Not in the table: {_names(left_out)}. *CSV* has them all.")
    for scenario in result.scenarios:
        if scenario.error is not None:
            label = _escape(scenario_label(stock, scenario.value))
            notes.append(
                f":warning: With `{label}` the model can't run: {_escape(scenario.error.message)}"
            )
    notes += _fallback_notes(fallback)
    notes += [f":warning: {_escape(w)}" for w in sweep_warnings(result)]
    return _capped(notes)


def seek_message(
    result: SeekResult,
    *,
    heading: str | None = None,
    before: Value | None = None,
    rerun: bool = False,
    fallback: Fallback = Fallback.FULL,
    max_rounds: int = 1000,
) -> dict:
    """`text` and `blocks` for a goal seek: the answer and the run at it, as a run is shown;
    without an answer, why not and the values tried. A `rerun` says how the answer moved from
    `before`, the answer of the seek before it."""
    lead = f"{heading}\n" if heading else ""
    if rerun:
        lead += f"{_escape(seek_comparison(result, before))}\n"
    if result.answer is not None:
        return run_message(
            result.run,
            heading=f"{lead}:dart: {_escape(seek_answer(result))}",
            fallback=fallback,
            max_rounds=max_rounds,
            one_run=False,
        )
    problem = result.problem
    blocks = [section(f"{lead}:warning: *{_escape(problem.message)}*")]
    rows = samples_rows(result, display_number)
    if len(rows) > 1:
        if fallback is Fallback.PLAIN_TABLE:
            blocks += preformatted(_plain(rows, right_from=1))
        else:
            blocks.append(_table(rows))
    notes = [f"*Hint:* {_escape(problem.hint)}"] if problem.hint else []
    notes.append(f"No answer: the values tried are shown instead. {_escape(search_note(result))}")
    notes += _fallback_notes(fallback)
    blocks.append(context(_capped(notes)))
    text = f"{heading} " if heading else ""
    return {"text": (text + problem.message)[:FALLBACK_TEXT_CHARS], "blocks": blocks}


def summary_text(result: RunResult, heading: str | None = None) -> str:
    """The notification and screen-reader text: final values in words."""
    finals = ", ".join(f"{name} {display_number(value)}" for name, value in _finals(result))
    lead = f"{heading} " if heading else ""
    text = f"{lead}After {_rounds_ran(result)} rounds: {finals or 'no visible stocks'}."
    if result.truncated:
        text += " The run was cut short."
    return text[:FALLBACK_TEXT_CHARS]


def comparison_text(changes: list[StockChange]) -> str:
    header = ["Stock", "before", "after", "change", "first differs"]
    shown = changes
    if len(changes) > COMPARISON_MAX_ROWS:
        shown = [c for c in changes if c.first_divergence is not None][:COMPARISON_MAX_ROWS]
    if not shown:
        return f"Compared with the run before: all {len(changes)} stocks are the same."
    rows = [
        [c.name, _maybe(c.before), _maybe(c.after), _signed(c.change), _divergence(c)]
        for c in shown
    ]
    text = "Compared with the run before:\n" + _aligned([header, *rows], right_from=1)
    hidden = len(changes) - len(shown)
    return text + (f"\n…and {hidden} more stocks (in the CSV)." if hidden else "")


def table_block(result: RunResult) -> dict:
    stocks = result.stocks[: TABLE_MAX_COLUMNS - 1]
    header = ["round", *stocks]
    body = [
        [str(row[0]), *map(display_number, row[1 : len(stocks) + 1])]
        for row in sample(result.rows, TABLE_MAX_ROWS - 1)
    ]
    return _table([header, *body])


def _table(rows: list[list[str]], align: str = "right") -> dict:
    """A table block of text cells, at most TABLE_MAX_ROWS rows of TABLE_MAX_COLUMNS."""
    cells = [
        [{"type": "raw_text", "text": text[:200] or " "} for text in row[:TABLE_MAX_COLUMNS]]
        for row in rows[:TABLE_MAX_ROWS]
    ]
    settings = [{"align": align} for _ in cells[0]]
    return {"type": "table", "column_settings": settings, "rows": cells}


@dataclass(frozen=True)
class Chart:
    """A run's line chart (None when no stock can be drawn), the stocks it draws, and those
    left out of it because some of their values can't be drawn."""

    block: dict | None
    drawn: list[str]
    undrawable: list[str]


def line_chart(result: RunResult) -> Chart:
    """The first 6 stocks that can be drawn, at the rounds chart_rounds picks. Slack wants a
    finite value for every category, so a stock with any other is left out whole."""
    rounds = chart_rounds(len(result.rows) - 1)
    series: list[dict] = []
    drawn: list[str] = []
    undrawable: list[str] = []
    for column, name in enumerate(result.stocks, start=1):
        if len(drawn) == CHART_MAX_SERIES:
            break
        values = [result.rows[r][column] for r in rounds]
        if not all(_drawable(value) for value in values):
            undrawable.append(name)
            continue
        series.append(_series(name, series, rounds, values))
        drawn.append(name)
    if not series:
        return Chart(None, drawn, undrawable)
    return Chart(_chart_block(_chart_title(result), rounds, series), drawn, undrawable)


def _series(name: str, taken: list[dict], rounds: list[int], values: list) -> dict:
    points = [{"label": str(r), "value": v} for r, v in zip(rounds, values, strict=True)]
    return {"name": _series_name(name, taken), "data": points}


def _chart_block(title: str, rounds: list[int], series: list[dict]) -> dict:
    chart = {
        "type": "line",
        "axis_config": {"categories": [str(r) for r in rounds], "x_label": "round"},
        "series": series,
    }
    return {"type": "data_visualization", "title": title[:50], "chart": chart}


def chart_rounds(last: int) -> list[int]:
    """Rounds 0, s, 2s, ... up to `last`, and `last` itself where the step passes it by: a
    chart spaces its categories evenly, so one step keeps straight lines straight (at worst the
    final segment is shorter). The step s is the first of 1, 2, 5, 10, 20, 25, 50, 100, 200,
    250, 500, ... that gives at most CHART_MAX_POINTS rounds, so labels stay round numbers."""
    step = next(s for s in _chart_steps() if -(-last // s) + 1 <= CHART_MAX_POINTS)
    rounds = list(range(0, last + 1, step))
    return rounds if rounds[-1] == last else [*rounds, last]


def _chart_steps() -> Iterator[int]:
    yield from (1, 2, 5)
    scale = 10
    while True:
        yield from (scale, 2 * scale, 5 * scale // 2, 5 * scale)
        scale *= 10


def sample(rows: list, limit: int) -> list:
    """All rows if they fit, else the first, the last and evenly spaced rows between."""
    if len(rows) <= limit:
        return rows
    step = (len(rows) - 1) / (limit - 1)
    return [rows[round(i * step)] for i in range(limit)]


def _summary(result: RunResult, heading: str | None) -> str:
    lead = f"{heading}\n" if heading else ""
    stocks = len(result.stocks)
    line = f"*{stocks} stock{'s' if stocks != 1 else ''} · {_rounds_ran(result)} rounds*"
    if result.truncated:
        line += f" (cut short: {result.rounds} asked for)"
    finals = ", ".join(
        f"{_escape(name)} *{display_number(value)}*" for name, value in _finals(result)[:8]
    )
    more = len(result.stocks) - 8
    finals += f" and {more} more" if more > 0 else ""
    return _clip(f"{lead}{line}" + (f" — ends with {finals}" if finals else ""), TEXT_CHUNK)


def _notes(result: RunResult, chart: Chart | None, fallback: Fallback) -> list[str]:
    notes = []
    shown = min(len(result.rows), TABLE_MAX_ROWS - 1)
    if len(result.rows) > shown:
        notes.append(
            f":scissors: The table shows {shown} of the {len(result.rows)} rounds from 0 to "
            f"{_rounds_ran(result)}: the first, the last and evenly spaced rounds between. "
            "*CSV* has them all."
        )
    left_out = result.stocks[TABLE_MAX_COLUMNS - 1 :]
    if left_out:
        notes.append(f":scissors: Not in the table: {_names(left_out)}. *CSV* has them all.")
    if chart and chart.undrawable:
        notes.append(_undrawable_note(chart.undrawable))
    if chart and len(chart.drawn) + len(chart.undrawable) < len(result.stocks):
        which = "stocks it can draw" if chart.undrawable else "stocks"
        notes.append(f"The chart shows the first {CHART_MAX_SERIES} {which}.")
    notes += _fallback_notes(fallback)
    notes += [f":warning: {_escape(w)}" for w in result.warnings]
    return _capped(notes)


def _fallback_notes(fallback: Fallback) -> list[str]:
    if fallback is Fallback.WITHOUT_CHART:
        return ["This workspace can't show charts yet, so the chart is left out."]
    if fallback is Fallback.PLAIN_TABLE:
        return [
            "This workspace can't show tables or charts yet, so the table is plain text "
            "and the chart is left out."
        ]
    return []


def _capped(notes: list[str]) -> list[str]:
    """At most the elements a context block holds, each within its text limit."""
    if len(notes) > CONTEXT_MAX_ELEMENTS:
        extra = len(notes) - CONTEXT_MAX_ELEMENTS + 1
        notes = notes[: CONTEXT_MAX_ELEMENTS - 1] + [f"…and {extra} more notes."]
    return [_clip(note, 2000) for note in notes]


def _undrawable_note(names: list[str]) -> str:
    if len(names) == 1:
        return (
            f"`{_escape(names[0])}` is left out of the chart: its values include infinity, "
            "NaN or numbers too large to draw."
        )
    return (
        f"{_names(names)} are left out of the chart: their values include infinity, NaN or "
        "numbers too large to draw."
    )


def _buttons(result: RunResult, max_rounds: int, one_run: bool = True) -> dict:
    """The result's buttons; `one_run` when the message shows one run, not a sweep's or a
    seek's (whose CSV needs what only the message's metadata holds)."""
    more = min(max(result.rounds * 2, 10), max_rounds)
    rounds = json.dumps({"rounds": result.rounds})
    buttons = [
        button(f"More rounds ({more})", ACTION_MORE_ROUNDS, json.dumps({"rounds": more})),
        button("Edit & rerun", ACTION_EDIT, rounds),
        button("CSV", ACTION_CSV, _carried_run(result) if one_run else rounds),
    ]
    if result.rounds >= max_rounds:
        buttons = buttons[1:]
    return {"type": "actions", "elements": buttons}


def _carried_run(result: RunResult) -> str:
    """The CSV button's value: the run's rounds and, when it fits, its definition, so that a
    click needs no look at the thread (bot/slack/clicked_run.py). The other buttons read it:
    More rounds for the snapshot its comparison needs, Edit & rerun to learn, before the editor
    opens, that the bot can't post in the channel."""
    carried = json.dumps({"rounds": result.rounds, "definition": result.definition})
    return carried if len(carried) <= BUTTON_VALUE_CHARS else json.dumps({"rounds": result.rounds})


def _plain_table(result: RunResult) -> str:
    stocks = result.stocks[: TABLE_MAX_COLUMNS - 1]
    rows = [
        [str(r[0]), *(display_number(v) for v in r[1 : len(stocks) + 1])]
        for r in sample(result.rows, TABLE_MAX_ROWS - 1)
    ]
    return _plain([["round", *stocks], *rows], right_from=0)


def _plain(rows: list[list[str]], right_from: int) -> str:
    """A table as aligned text, its header's names clipped so it stays a few blocks long."""
    header, *body = rows
    return _aligned([[_clip(name, PLAIN_NAME_CHARS) for name in header], *body], right_from)


def _aligned(rows: list[list[str]], right_from: int) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(
            cell.rjust(w) if i >= right_from else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    )


def _located_text(error: ModelError) -> str:
    if error.source_line is None or not error.line:
        return error_text(error).split("\n", 1)[0]
    where = f"Line {error.line}" + (f", column {error.column}" if error.column else "")
    return "\n".join([where, *quoted_line(error)])


def _finals(result: RunResult) -> list[tuple[str, object]]:
    """Each visible stock with its value in the last round."""
    last = result.rows[-1][1:] if result.rows else [None] * len(result.stocks)
    return list(zip(result.stocks, last, strict=True))


def _rounds_ran(result: RunResult) -> int:
    return max(len(result.rows) - 1, 0)


def _chart_title(result: RunResult) -> str:
    return f"Stocks over {_rounds_ran(result)} rounds"[:50]


def _series_name(name: str, taken: list[dict]) -> str:
    names = {s["name"] for s in taken}
    candidate = name[:CHART_NAME_CHARS]
    suffix = 2
    while candidate in names:
        tag = f"~{suffix}"
        candidate = name[: CHART_NAME_CHARS - len(tag)] + tag
        suffix += 1
    return candidate


def _drawable(value) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an int past what a float holds
        return False


def _maybe(value) -> str:
    return "—" if value is None else display_number(value)


def _signed(value) -> str:
    if value is None:
        return "—"
    text = display_number(value)
    return text if text.startswith("-") or value == 0 else "+" + text


def _divergence(change: StockChange) -> str:
    if change.first_divergence is None:
        return "same"
    if change.only_extended and change.rounds_in_common:
        return f"same to round {change.rounds_in_common - 1}"
    return f"round {change.first_divergence}"


def _names(names: list[str]) -> str:
    listed = ", ".join(f"`{_escape(n)}`" for n in names[:20])
    return listed + (f" and {len(names) - 20} more" if len(names) > 20 else "")


# Block Kit's building blocks, shared with views.py.


def section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": _clip(text, TEXT_CHUNK)}}


def context(texts: list[str]) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": t} for t in texts]}


def button(label: str, action_id: str, value: str, *, primary: bool = False) -> dict:
    element = {
        "type": "button",
        "text": {"type": "plain_text", "text": label},
        "action_id": action_id,
        "value": value,
    }
    return {**element, "style": "primary"} if primary else element


def sections(lines: list[str]) -> list[dict]:
    """Lines of mrkdwn in as few sections as hold them; a line too long for one is clipped."""
    chunks = [""]
    for line in (_clip(line, TEXT_CHUNK) for line in lines):
        if chunks[-1] and len(chunks[-1]) + 1 + len(line) > TEXT_CHUNK:
            chunks.append("")
        chunks[-1] += ("\n" if chunks[-1] else "") + line
    return [section(chunk) for chunk in chunks]


def preformatted(text: str) -> list[dict]:
    """Monospaced text, split into blocks small enough for Slack; nothing is dropped."""
    chunks = [text[i : i + TEXT_CHUNK] for i in range(0, len(text), TEXT_CHUNK)] or [" "]
    return [
        {
            "type": "rich_text",
            "elements": [
                {"type": "rich_text_preformatted", "elements": [{"type": "text", "text": chunk}]}
            ],
        }
        for chunk in chunks
    ]


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _escape(text: str) -> str:
    """mrkdwn treats &, < and > as control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
