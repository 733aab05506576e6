"""Whether text holds a model: a line that `systems` reads as a flow.

Chat is full of `>` and `@` ("costs > revenue @ Q3?"), so a line counts only when `systems`'
lexer reads it as `source > destination @ rate` with every stock written as a stock and every
value in it a number or a name a stock can have. Whether those stocks exist and the formulas add
up is left to the run, whose errors say what is wrong: a model with a typo still gets an answer.

Chat text is untrusted and up to 40,000 characters, so each line is read with str methods and
patterns that cannot backtrack. (`systems`' own lexer is linear too, but it loops in Python over
every character: about 90 ms for 40,000 characters of lines that almost read as flows.)
"""

from __future__ import annotations

import re
from typing import NamedTuple

from bot.model.systems_adapter import STOCK_NAME, FlowKind

COMMENT, FLOW_DIRECTION, FLOW_DELIMITER = "#", ">", "@"
SKIPPED = " "  # the lexer skips spaces everywhere but in comments, and `>` in a rate too
# A value in a formula: a whole or decimal number, or a name (`inf` has a name's shape). What
# ends a value is an operator or `)`; `(` does not, the lexer only opens a group there. The
# groups are atomic and the quantifiers possessive, so no pattern here can backtrack.
_VALUE = rf"[0-9]++(?:\.[0-9]++)?+(?![\w.])|(?>{STOCK_NAME.pattern})"
_VALUE_ENDS = r"[)+\-*/]"
_ONE_VALUE = re.compile(_VALUE)
_FORMULA = re.compile(rf"{_VALUE_ENDS}*+(?:(?:{_VALUE}){_VALUE_ENDS}*+)++")
_VALUE_END = re.compile(_VALUE_ENDS)
_FLOW_KINDS = frozenset(kind.value.lower() for kind in FlowKind)


class _LineReading(NamedTuple):
    """What the lexer reads in a line that is not a comment: its stocks as written (spaces
    dropped) and the text of its rate (None without an `@`)."""

    stocks: list[str]
    rate: str | None


def holds_model(definition: str) -> bool:
    """Whether any line of `definition` is a flow, as `systems` reads it."""
    lines = definition.split("\n")
    readings = [_read_line(line) for line in lines if FLOW_DELIMITER in line or "[" in line]
    stocks_and_flows = [reading for reading in readings if reading is not None]
    infinite = _infinite_stocks(stocks_and_flows)
    return any(_is_flow(reading, infinite) for reading in stocks_and_flows)


def is_flow_line(line: str) -> bool:
    """Whether `line` on its own is a flow, as `systems` reads it."""
    reading = _read_line(line) if FLOW_DELIMITER in line else None
    return reading is not None and _is_flow(reading, _infinite_stocks([reading]))


def _infinite_stocks(readings: list[_LineReading]) -> frozenset[str]:
    """The names of the `[infinite]` stocks written in the lines: a formula may refer to one
    by a name no other stock could have, such as `[5pm]`."""
    return frozenset(
        stock[1:-1] for reading in readings for stock in reading.stocks if _is_infinite(stock)
    )


def _read_line(line: str) -> _LineReading | None:
    """Split a line where the lexer does: a `#` before any `>` or `@` makes it a comment; the
    first `@` starts the rate, every `>` before it ends a stock. A `#` in the rate starts a
    comment that the bot drops before `systems` reads the line (bot.model.prepare)."""
    at = line.find(FLOW_DELIMITER)
    head = line if at < 0 else line[:at]
    arrow = head.find(FLOW_DIRECTION)
    if COMMENT in (head if arrow < 0 else head[:arrow]):
        return None
    stocks = head.replace(SKIPPED, "").split(FLOW_DIRECTION)
    if at < 0:
        return _LineReading(stocks, None)
    rate = line[at + 1 :].split(COMMENT, 1)[0]
    return _LineReading(stocks, rate.replace(SKIPPED, "").replace(FLOW_DIRECTION, ""))


def _is_flow(reading: _LineReading, infinite: frozenset[str]) -> bool:
    """A source, a destination and a rate, each as `systems` can read it."""
    if not reading.rate or len(reading.stocks) < 2:
        return False
    return _is_rate(reading.rate, infinite) and all(
        _is_stock(stock, infinite) for stock in reading.stocks
    )


def _is_infinite(stock: str) -> bool:
    return len(stock) >= 2 and stock[0] == "[" and stock[-1] == "]"


def _is_stock(stock: str, infinite: frozenset[str]) -> bool:
    """`[anything]`, `Name` or `Name(initial, maximum)`."""
    if _is_infinite(stock):
        return True
    name = STOCK_NAME.match(stock)
    if name is None:
        return False
    params = stock[name.end() :]
    if not params:
        return True
    if params[0] != "(" or params[-1] != ")":
        return False
    return all(_is_formula(param, infinite) for param in params[1:-1].split(","))


def _is_rate(rate: str, infinite: frozenset[str]) -> bool:
    """`Kind(formula)` with a kind `systems` knows, or a bare formula; one value either way."""
    kind = STOCK_NAME.match(rate)
    if kind and rate[kind.end() : kind.end() + 1] == "(" and rate[-1] == ")":
        if kind.group().lower() not in _FLOW_KINDS:
            return False
        rate = rate[kind.end() + 1 : -1]
    return "," not in rate and _is_formula(rate, infinite)


def _is_formula(formula: str, infinite: frozenset[str]) -> bool:
    """At least one value, and every value a number, a name a stock can have, or the name of
    an infinite stock in the text."""
    formula = formula.replace("(", "")
    if _FORMULA.fullmatch(formula):
        return True
    if not infinite:
        return False
    values = [value for value in _VALUE_END.split(formula) if value]
    return bool(values) and all(_ONE_VALUE.fullmatch(v) or v in infinite for v in values)
