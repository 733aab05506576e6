"""Plain-text rendering: aligned tables (of a run, a sweep, a seek) and errors with a caret
under the column."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

from bot.model import ModelError, RunResult, Scenario, SeekResult, SweepResult
from bot.model.scenario_syntax import as_value, scenario_label, starting_text
from bot.model.systems_adapter import Value
from bot.render.numbers import display_number


def table_text(result: RunResult, number: Callable[[object], str] = str) -> str:
    """Like `systems-run`'s output (round column unnamed), with every column aligned."""
    header = ["", *result.stocks]
    body = [[str(row[0]), *(number(value) for value in row[1:])] for row in result.rows]
    return _aligned([header, *body])


def _aligned(table: list[list[str]]) -> str:
    widths = [max(len(cells[i]) for cells in table) for i in range(len(table[0]))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
        for cells in table
    ]
    return "\n".join(line.rstrip() for line in lines)


# --- sweeps --------------------------------------------------------------------------------------


def sweep_text(result: SweepResult, number: Callable[[object], str] = str) -> str:
    """The summary, every scenario's final values, then each scenario's table under its name."""
    parts = [sweep_summary(result), finals_text(result, number)]
    parts += [
        f"{scenario_label(result.sweep.stock, scenario.value)}\n"
        f"{table_text(scenario.result, number)}"
        for scenario in ran_scenarios(result)
    ]
    return "\n\n".join(parts)


def sweep_summary(result: SweepResult) -> str:
    """One line: how the stock that ends differently (the last such, in model order) goes from
    the first scenario to the last, at the last round they all reached."""
    ran = ran_scenarios(result)
    if not ran:
        return f"No scenario ran: every value of `{result.sweep.stock}` tried broke the model."
    round_number = min(len(scenario.result.rows) for scenario in ran) - 1
    column = _watched_column(ran, round_number, result.sweep.stock)
    first, last = (ran[0], ran[-1])
    watched = f"`{first.result.columns[column]}` at round {round_number}"
    start, end = (scenario.result.rows[round_number][column] for scenario in (first, last))
    first_label, last_label = (scenario_label(result.sweep.stock, s.value) for s in (first, last))
    if first is last:
        return f"{watched} is {display_number(start)} with `{first_label}`."
    if not _differs(ran, round_number, column):
        return (
            f"{watched} is {display_number(start)} in every scenario, "
            f"from `{first_label}` to `{last_label}`."
        )
    return (
        f"{watched} goes from {display_number(start)} with `{first_label}` "
        f"to {display_number(end)} with `{last_label}`."
    )


def finals_text(result: SweepResult, number: Callable[[object], str] = str) -> str:
    """One row per scenario that ran: each visible stock's value in its last round."""
    ran = ran_scenarios(result)
    header = ["scenario", *(ran[0].result.stocks if ran else [])]
    body = [
        [
            scenario_label(result.sweep.stock, scenario.value),
            *(number(value) for value in scenario.result.rows[-1][1:]),
        ]
        for scenario in ran
    ]
    return _aligned([header, *body])


def sweep_warnings(result: SweepResult) -> list[str]:
    """Warnings every scenario has, once; then each scenario's own, under its name; then the
    sweep's."""
    ran = ran_scenarios(result)
    common = [w for w in (ran[0].result.warnings if ran else []) if _in_every(w, ran)]
    own = [
        f"{scenario_label(result.sweep.stock, scenario.value)}: {warning}"
        for scenario in ran
        for warning in scenario.result.warnings
        if warning not in common
    ]
    return [*common, *own, *result.warnings]


def most_changed_stock(result: SweepResult) -> str | None:
    """The visible stock (other than the swept one, unless it is the only one) whose value at
    the last round every scenario reached spreads most across the scenarios, relative to its
    size; the last in model order on a tie (the later stocks of a funnel are its outcomes, as
    in the summary). None when no scenario ran or nothing is visible."""
    ran = ran_scenarios(result)
    stocks = ran[0].result.stocks if ran else []
    others = [name for name in stocks if name != result.sweep.stock] or stocks
    if not others:
        return None
    round_number = min(len(scenario.result.rows) for scenario in ran) - 1
    values = {
        name: [scenario.result.rows[round_number][stocks.index(name) + 1] for scenario in ran]
        for name in others
    }
    return max(reversed(others), key=lambda name: _relative_spread(values[name]))


def _relative_spread(values: list) -> float:
    """(largest − smallest) / the largest size; -1 when some value is not a finite number."""
    try:
        numbers = [float(value) for value in values]
    except OverflowError:  # an int past what a float holds
        return -1.0
    if not all(map(math.isfinite, numbers)):
        return -1.0
    high, low = max(numbers), min(numbers)
    size = max(abs(high), abs(low))
    return (high - low) / size if size else 0.0


def sweep_comparison(
    result: SweepResult, before: Mapping[Value, Mapping[str, object]]
) -> list[str]:
    """One line per scenario: how its final values differ from the same scenario's in the sweep
    before (`before`: each value's final value of each stock); then the scenarios gone."""
    stock = result.sweep.stock
    lines = []
    for scenario in result.scenarios:
        label = f"`{scenario_label(stock, scenario.value)}`"
        earlier = _matching(before, scenario.value)
        if scenario.result is None:
            lines.append(f"{label}: the model can't run with this value now.")
        elif earlier is None:
            lines.append(f"{label}: new in this sweep.")
        else:
            lines.append(f"{label}: {_final_changes(scenario.result, earlier)}")
    gone = [v for v in before if not any(_same(v, now) for now in result.sweep.values)]
    if gone:
        labels = ", ".join(f"`{scenario_label(stock, value)}`" for value in gone)
        lines.append(f"Not in this sweep: {labels}.")
    return lines


def _matching(values: Mapping[Value, object], value: Value):
    """The entry for `value`, telling 1 from 1.0 as the runs do (`systems` keeps ints whole)."""
    return next((entry for key, entry in values.items() if _same(key, value)), None)


def _same(value: Value, other: Value) -> bool:
    return value == other and type(value) is type(other)


MAX_CHANGES_LISTED = 3


def _final_changes(result: RunResult, earlier: Mapping[str, object]) -> str:
    now = dict(zip(result.stocks, result.rows[-1][1:], strict=True))
    changed = [
        f"{name} {display_number(earlier[name])} → {display_number(value)}"
        for name, value in now.items()
        if name in earlier and repr(earlier[name]) != repr(value)
    ]
    added = [name for name in now if name not in earlier]
    if added:
        changed.append(f"new: {', '.join(added)}")
    if not changed:
        return "the same final values."
    more = len(changed) - MAX_CHANGES_LISTED
    listed = "; ".join(changed[:MAX_CHANGES_LISTED])
    return listed + (f"; and {more} more." if more > 0 else ".")


def ran_scenarios(result: SweepResult) -> list[Scenario]:
    """The scenarios that ran, leaving out those whose value broke the model."""
    return [scenario for scenario in result.scenarios if scenario.result is not None]


def _in_every(warning: str, ran: list[Scenario]) -> bool:
    return all(warning in scenario.result.warnings for scenario in ran)


def _watched_column(ran: list[Scenario], round_number: int, swept: str) -> int:
    """The last stock other than the swept one that differs between scenarios at the round;
    else the last other stock; else the swept one."""
    stocks = ran[0].result.stocks
    others = [index for index, name in enumerate(stocks, 1) if name != swept] or [1]
    differing = [column for column in others if _differs(ran, round_number, column)]
    return (differing or others)[-1]


def _differs(ran: list[Scenario], round_number: int, column: int) -> bool:
    # repr, so that NaN equals NaN and 1 differs from 1.0, as the runs themselves do
    return len({repr(scenario.result.rows[round_number][column]) for scenario in ran}) > 1


# --- seeks ---------------------------------------------------------------------------------------


def seek_text(result: SeekResult, number: Callable[[object], str] = str) -> str:
    """The answer in a sentence, then the run at it."""
    return f"{seek_answer(result)}\n\n{table_text(result.run, number)}"


def seek_answer(result: SeekResult) -> str:
    """`Recruiters=3` is the smallest value for which `Hires >= 50` at round 20 (…)."""
    seek, answer, failing = result.seek, result.answer, result.failing
    target = f"`{seek.goal.target}`"
    return (
        f"`{scenario_label(seek.stock, answer.value)}` is the "
        f"{'smallest' if result.finds_smallest else 'largest'} value for which `{seek.goal}` "
        f"at round {result.round} ({target} is {display_number(answer.reached)}); with "
        f"`{scenario_label(seek.stock, failing.value)}` it fails "
        f"({target} is {display_number(failing.reached)}). {search_note(result)}"
    )


def samples_text(result: SeekResult, number: Callable[[object], str] = str) -> str:
    """The values a search tried, the goal's stock at its round, and whether the goal held."""
    return _aligned(samples_rows(result, number))


_GOAL_STATES = {True: "holds", False: "fails", None: "not known"}


def samples_rows(result: SeekResult, number: Callable[[object], str] = str) -> list[list[str]]:
    """The values a search tried as a table: a header, then one row per value, lowest first."""
    header = [result.seek.stock, f"{result.seek.goal.target} at round {result.round}", "goal"]
    body = [
        [
            starting_text(sample.value),
            "-" if sample.reached is None else number(sample.reached),
            _GOAL_STATES[sample.holds],
        ]
        for sample in result.samples_by_value
    ]
    return [header, *body]


def seek_comparison(result: SeekResult, before: Value | None) -> str:
    """How the answer moved since the seek before it (`before`: that one's answer, if any)."""
    stock = result.seek.stock
    now = "none" if result.answer is None else f"`{scenario_label(stock, result.answer.value)}`"
    was = "none" if before is None else f"`{scenario_label(stock, before)}`"
    if now == was:
        return f"Compared with the seek before: the same answer, {now}."
    return f"Compared with the seek before: the answer was {was}, now {now}."


def search_note(result: SeekResult) -> str:
    """How many runs a search took, over which values."""
    grid = result.grid
    return (
        f"{result.runs} runs, searching {starting_text(grid.value(0))} to "
        f"{starting_text(grid.high)} in steps of {starting_text(as_value(grid.step))}."
    )


def error_text(error: ModelError) -> str:
    """The message, the offending line with a caret under the column, and the hint."""
    lines = [f"{_where(error)}{error.message}", *quoted_line(error, number_width=4)]
    if error.hint:
        lines.append(f"Hint: {error.hint}")
    return "\n".join(lines)


def quoted_line(error: ModelError, number_width: int = 0) -> list[str]:
    """The line the error is on behind a `N | ` gutter (N right-aligned in `number_width`),
    then a caret under the column when there is one; nothing when the error has no line."""
    if error.source_line is None or not error.line:
        return []
    number = str(error.line).rjust(number_width)
    lines = [f"{number} | {error.source_line}"]
    if error.column:
        lines.append(f"{' ' * len(number)} | {' ' * (error.column - 1)}^")
    return lines


def _where(error: ModelError) -> str:
    if error.line and error.column:
        return f"Line {error.line}, column {error.column}: "
    if error.line:
        return f"Line {error.line}: "
    return ""
