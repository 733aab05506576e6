"""What people write to ask for many runs at once: a set of starting values, or a goal to seek.

`1..5`, `0.1..0.5 step 0.1` or `1,2,4,8` for a sweep; `Recruiters: Hires >= 50 at round 20`
or `Recruiters in 0..100: Hires >= 50` for a seek. The CLI reads these now and the chat reader
can later; each function reads its text once, with splits and fixed-shape full matches (no
pattern that backtracks), and says what is wrong in a ModelError.

Numbers are read as decimals, at most 15 digits, so each is exactly the float or int that
`systems` reads from the same text. A range's values are start + i × step worked out in decimal,
so `0.1..0.3 step 0.1` gives 0.1, 0.2 and 0.3, never 0.30000000000000004.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Context, Decimal, localcontext
from typing import Literal, get_args

from bot.model.errors import ModelError
from bot.model.systems_adapter import STOCK_NAME, Value

MAX_SCENARIOS = 12
MAX_DIGITS = 15  # every decimal this long is exactly one float, and the float prints back as it
# Range arithmetic on such numbers can need 45 digits (999999999999999 over 0.000000000000001,
# times an index); Decimal's default context keeps 28, rounding or refusing the rest.
EXACT = Context(prec=4 * MAX_DIGITS)
Comparison = Literal[">=", "<=", ">", "<"]
COMPARISONS: tuple[Comparison, ...] = get_args(Comparison)
_TESTS: dict[str, Callable[[object, object], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
}
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
RANGE_EXAMPLE = "`1..5`, `0.1..0.5 step 0.1` or `1,2,4,8`"
GOAL_EXAMPLE = "`Recruiters: Hires >= 50 at round 20`"


# --- requests ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ValueRange:
    """`start..stop`, or `start..stop step s`: from start, a step apart, up to stop."""

    start: Decimal
    stop: Decimal
    step: Decimal | None = None  # None when not written

    def __post_init__(self):
        if self.start > self.stop:
            raise ModelError(
                f"The range `{self}` runs backwards.",
                hint=f"Write the smaller value first: `{_range_text(self.stop, self.start)}`.",
            )
        if self.step is not None and self.step <= 0:
            raise ModelError(f"The step in `{self}` must be more than 0.", hint=_STEP_HINT)

    def __str__(self) -> str:
        return _range_text(self.start, self.stop, self.step)

    def values(self) -> tuple[Value, ...]:
        """Every value in the range, for a sweep: at most MAX_SCENARIOS of them."""
        step = self.step
        if step is None:
            if not (is_whole(self.start) and is_whole(self.stop)):
                raise ModelError(
                    f"`{self}` needs a step: its ends aren't whole numbers.",
                    hint=f"Add one, like `{_range_text(self.start, self.stop, Decimal('0.1'))}`.",
                )
            step = Decimal(1)
        with localcontext(EXACT):
            count = int((self.stop - self.start) // step) + 1
            if count > MAX_SCENARIOS:
                raise ModelError(
                    f"`{self}` gives {count:,} values; a sweep takes at most {MAX_SCENARIOS}.",
                    hint="Use a larger step, or list the values, like `1,2,4,8`.",
                )
            values = [checked_digits(self.start + index * step) for index in range(count)]
        return tuple(map(as_value, values))


_STEP_HINT = "Write a positive step, like `0.1..0.5 step 0.1`."


@dataclass(frozen=True)
class Sweep:
    """Run the model once for each starting value of `stock`."""

    stock: str
    values: tuple[Value, ...]

    def __post_init__(self):
        if not 1 <= len(self.values) <= MAX_SCENARIOS:
            raise ModelError(
                f"A sweep takes 1 to {MAX_SCENARIOS} values of `{self.stock}`, "
                f"not {len(self.values)}.",
                hint=f"Give the values as {RANGE_EXAMPLE}.",
            )
        seen: set[Value] = set()
        for value in self.values:
            if value in seen:
                raise ModelError(
                    f"`{self.stock}={value}` is asked for twice.", hint="List each value once."
                )
            seen.add(value)


@dataclass(frozen=True)
class Goal:
    """`target` compared with `threshold` at round `round` (the last round when None)."""

    target: str
    comparison: Comparison
    threshold: Value
    round: int | None = None

    def __post_init__(self):
        if self.comparison not in COMPARISONS:
            raise ModelError(
                f"`{self.comparison}` is not a comparison a goal can use.",
                hint=f"Use one of {', '.join(f'`{c}`' for c in COMPARISONS)}.",
            )
        if self.round is not None and (
            isinstance(self.round, bool) or not isinstance(self.round, int) or self.round < 0
        ):
            raise ModelError(
                f"The goal's round must be a whole number, not `{self.round}`.",
                hint="Give a round from 0 up, such as 20.",
            )

    def holds(self, value: Value) -> bool:
        return _TESTS[self.comparison](value, self.threshold)

    def __str__(self) -> str:
        return f"{self.target} {self.comparison} {starting_text(self.threshold)}"


@dataclass(frozen=True)
class Seek:
    """Find the value of `stock` at the edge where `goal` starts (or stops) holding, searched
    within `bounds` (a range worked out from the model when None)."""

    stock: str
    goal: Goal
    bounds: ValueRange | None = None


def only_one(sweep: Sweep | None, seek: Seek | None) -> Sweep | Seek | None:
    """What a request asks for beyond one run: a sweep, a seek, or neither; never both."""
    if sweep is not None and seek is not None:
        raise ModelError(
            f"A sweep of `{sweep.stock}` and a seek of `{seek.stock}` can't run together.",
            hint="Ask for one of them.",
        )
    return sweep or seek


# --- numbers -------------------------------------------------------------------------------------


def read_number(text: str) -> Decimal:
    """A number as written (`-3`, `2.5`): no exponent, at most MAX_DIGITS digits."""
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        raise ModelError(
            f"`{text}` is not a number." if text else "A number is missing.",
            hint="Write numbers with digits and a point, like `3` or `-0.25`.",
        )
    return checked_digits(Decimal(text))


def exact_number(value: int | float | str) -> Decimal:
    """A number given as an int, a float or text, as the decimal it is written as."""
    if isinstance(value, float):
        value = format(Decimal(repr(value)), "f")  # `1e-05` as `0.00001`; nan as `NaN`
    return read_number(str(value))


def as_value(number: Decimal) -> Value:
    """The int or float `systems` reads from the number written out: a point makes a float."""
    return int(number) if is_whole(number) else float(number)


def starting_text(value: Value) -> str:
    """A value written as an override writes it, for `systems` to read back exactly."""
    return str(value) if isinstance(value, int) else format(Decimal(repr(value)), "f")


def scenario_label(stock: str, value: Value) -> str:
    """A stock starting at a value, as a setting is written: `Recruiters=2`."""
    return f"{stock}={starting_text(value)}"


def is_whole(number: Decimal) -> bool:
    """Written without a point (`2`, not `2.0`): `systems` reads it as an int."""
    return number.as_tuple().exponent >= 0


def checked_digits(number: Decimal) -> Decimal:
    if len(number.as_tuple().digits) > MAX_DIGITS:
        raise ModelError(
            f"`{format(number, 'f')}` has more than {MAX_DIGITS} digits.",
            hint=f"Use at most {MAX_DIGITS} digits, so the value is exact.",
        )
    return number


def _range_text(start: Decimal, stop: Decimal, step: Decimal | None = None) -> str:
    text = f"{format(start, 'f')}..{format(stop, 'f')}"
    return text if step is None else f"{text} step {format(step, 'f')}"


# --- value sets ----------------------------------------------------------------------------------


def is_value_set(text: str) -> bool:
    """Whether `text` asks for several values (a range or a list), not one."""
    return ".." in text or "," in text


def read_range(text: str) -> ValueRange:
    """`start..stop` or `start..stop step s`."""
    start, dots, rest = text.partition("..")
    words = rest.split()
    if not dots or len(words) not in (1, 3) or (len(words) == 3 and words[1].lower() != "step"):
        raise ModelError(f"`{text.strip()}` is not a range.", hint=f"Write {RANGE_EXAMPLE}.")
    step = read_number(words[2]) if len(words) == 3 else None
    return ValueRange(read_number(start), read_number(words[0]), step)


def read_value_set(text: str) -> tuple[Value, ...]:
    """The values of a range (`1..5`, `0.1..0.5 step 0.1`) or a list (`1,2,4,8`)."""
    if ".." in text:
        return read_range(text).values()
    parts = text.split(",")
    if len(parts) > MAX_SCENARIOS:
        raise ModelError(
            f"`{text.strip()}` lists {len(parts)} values; a sweep takes at most {MAX_SCENARIOS}.",
            hint="Leave some out.",
        )
    return tuple(as_value(read_number(part)) for part in parts)


def sweep_of(sets: Mapping[str, str | Sequence[int | float]]) -> Sweep:
    """The one sweep in `sets`: a stock and its values, written as a value set or given as
    numbers. Two stocks are refused, naming both."""
    if not sets:
        raise ModelError("The sweep names no stock.", hint="Name one stock and its values.")
    if len(sets) > 1:
        raise ModelError(
            f"{' and '.join(f'`{name}`' for name in sets)} are each given several values; "
            "a sweep varies one stock.",
            hint="Give every other stock one value.",
        )
    ((stock, values),) = sets.items()
    if isinstance(values, str):
        return Sweep(stock, read_value_set(values))
    return Sweep(stock, tuple(as_value(exact_number(value)) for value in values))


def split_settings(settings: Mapping[str, str]) -> tuple[dict[str, str], Sweep | None]:
    """`Name=value` settings as overrides (one value each) and the sweep (a value set), if any."""
    overrides = {name: text for name, text in settings.items() if not is_value_set(text)}
    sets = {name: text for name, text in settings.items() if is_value_set(text)}
    return overrides, sweep_of(sets) if sets else None


# --- goals ---------------------------------------------------------------------------------------


def read_seek(text: str) -> Seek:
    """`[find] Stock [in start..stop [step s]]: Target >= 50 [at round 20]`."""
    head, colon, goal = text.partition(":")
    words = head.split()
    if words and words[0].lower() == "find":
        words = words[1:]
    if not colon or not words or (len(words) > 1 and words[1].lower() != "in"):
        raise ModelError(
            f"`{text.strip()}` is not a goal to seek.",
            hint=f"Write the stock to vary, a colon and the goal: {GOAL_EXAMPLE}.",
        )
    bounds = read_range(" ".join(words[2:])) if len(words) > 1 else None
    return Seek(_stock_name(words[0]), read_goal(goal), bounds)


def read_goal(text: str) -> Goal:
    """`Target >= 50`, with `>=`, `<=`, `>` or `<`, and optionally `at round N`."""
    at = min((i for i in (text.find("<"), text.find(">")) if i >= 0), default=-1)
    if at < 0:
        raise ModelError(
            f"The goal `{text.strip()}` has no comparison.",
            hint=f"Compare a stock with a number: {GOAL_EXAMPLE}.",
        )
    comparison = text[at : at + 2] if text[at + 1 : at + 2] == "=" else text[at]
    words = text[at + len(comparison) :].split()
    threshold = as_value(read_number(words[0] if words else ""))
    round_words = [word.lower() for word in words[1:3]]
    if len(words) not in (1, 4) or (len(words) == 4 and round_words != ["at", "round"]):
        raise ModelError(
            f"`{' '.join(words[1:])}` is not part of a goal.",
            hint="End the goal with `at round 20`, or leave that out for the last round.",
        )
    round_number = _round_number(words[3]) if len(words) == 4 else None
    return Goal(_stock_name(text[:at]), comparison, threshold, round_number)


def _stock_name(text: str) -> str:
    name = text.strip()
    if not STOCK_NAME.fullmatch(name):
        raise ModelError(
            f"`{name}` is not a stock name." if name else "A stock name is missing.",
            hint=f"Name the stocks as the model does: {GOAL_EXAMPLE}.",
        )
    return name


def _round_number(text: str) -> int:
    if not (text.isascii() and text.isdecimal()) or len(text) > 18:
        raise ModelError(f"`round {text}` is not a round.", hint="Give a whole number, like 20.")
    return int(text)
