"""How large a model's integers can grow, so a run can't spend minutes inside one formula.

`systems` computes with Python ints, which never overflow: `b(a*a*a*a*a*a*a*a*a*a)` has ten
times the digits of `a`, and a few such lines take hours before the first round, where no
clock can stop them. An upper bound on every formula's digits, worked out from the text before
anything runs, refuses those models; a check between rounds stops values that grow slowly.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.model.systems_adapter import (
    BuiltModel,
    Flow,
    FlowKind,
    Formula,
    Operator,
    Reference,
    Term,
    Value,
)

# Ints longer than this are refused before the run: computing one costs milliseconds at most.
MAX_FORMULA_DIGITS = 100_000
# Ints longer than this can't be printed (Python refuses past 4,300 digits), so a run stops
# when a stock grows past it; formulas are bounded as if every stock could be this long.
MAX_VALUE_DIGITS = 4_000
TOO_LARGE = 10**MAX_VALUE_DIGITS
FLOAT_DIGITS = 309  # floats stay below 1.8e308; a larger int mixed with one overflows


class TooLarge(Exception):
    """A formula whose values may need more than `digits` digits.

    `stock` names the stock whose initial value or maximum it is, `flow` is the flow whose rate
    it is.
    """

    def __init__(self, stock: str | None = None, flow: Flow | None = None, digits: int = 0):
        super().__init__(stock or flow)
        self.stock = stock
        self.flow = flow
        self.digits = digits


def too_large(value) -> bool:
    return isinstance(value, int) and abs(value) >= TOO_LARGE


def check_model(model: BuiltModel) -> None:
    """Raise TooLarge for the first formula whose values may grow past MAX_FORMULA_DIGITS.

    Initial values are bounded in the order `systems` computes them, so a reference to a stock
    not computed yet (a KeyError when run) counts as a float.
    """
    initial: dict[str, int] = {}
    for stock in model.stocks_in_initial_order():
        initial[stock.name] = _digits(stock.initial, initial, TooLarge(stock=stock.name))
    running = {name: max(digits, MAX_VALUE_DIGITS) for name, digits in initial.items()}
    for stock in model.stocks:
        maximum = _digits(stock.maximum, running, TooLarge(stock=stock.name))
        running[stock.name] = max(running[stock.name], maximum)
    for flow in model.flows:
        _digits(flow.rate, running, TooLarge(flow=flow))


def digits_at_most(values: Iterable[Value]) -> int:
    """An upper bound on the digits of the longest value, never below FLOAT_DIGITS (a float,
    or an int floored from one, has at most that many)."""
    bits = max((abs(v).bit_length() for v in values if isinstance(v, int)), default=0)
    return max(FLOAT_DIGITS, bits * 30103 // 100000 + 1)  # 0.30103 is a little over log10(2)


def digits_per_round(model: BuiltModel) -> int | None:
    """At most how many digits a round adds to the longest value, for a run whose values all
    have at most MAX_VALUE_DIGITS digits; None where that leaves no room for a second round,
    as where a round can multiply a stock by a stock (its digits can double each round).

    _round_digits(D) is built of max and + of terms whose slopes in D are whole numbers, so it
    is convex, and so is _round_digits(D) - D: between FLOAT_DIGITS and MAX_VALUE_DIGITS it is
    largest at one of the two ends. (D is never below FLOAT_DIGITS: a float's floor can have
    that many digits.)"""
    try:
        per_round = max(_round_digits(model, d) - d for d in (FLOAT_DIGITS, MAX_VALUE_DIGITS))
    except TooLarge:
        return None
    return per_round if per_round < MAX_VALUE_DIGITS - FLOAT_DIGITS else None


def _round_digits(model: BuiltModel, digits: int) -> int:
    """Digits a round of `systems`' State.advance may reach from values of at most `digits`:
    each flow takes its change from the source at once, then adds every change to its
    destination (at most one per flow)."""
    maxima = {stock.name: stock.maximum for stock in model.stocks}
    running = digits
    for flow in reversed(model.flows):  # systems' order: a flow sees the changes before it
        change = _change_digits(flow, maxima[flow.destination], running)
        running = max(running, change) + 1
    return running + len(str(len(model.flows) + 1))


def _change_digits(flow: Flow, maximum: Formula, digits: int) -> int:
    """Digits of a flow's change when every value has at most `digits`: systems' Rate gives
    the rate, the source or the capacity, whichever its min and max pick; Leak and Conversion
    multiply the source by the rate (a float rate gives a float); all of them may give the
    capacity (the destination's maximum less its value)."""
    references = _EveryName(digits)
    capacity = max(_digits(maximum, references, TooLarge()), digits) + 1
    rate, whole = _evaluate(flow.rate, references)
    if flow.kind is FlowKind.RATE:
        change = rate if whole else FLOAT_DIGITS
    else:
        change = digits + rate if whole else digits
    if change > MAX_FORMULA_DIGITS:
        raise TooLarge(digits=change)
    return max(change, digits, capacity)


class _EveryName:
    """References in which every name has `digits` digits (a name that is no stock fails the
    run; as a float it would have fewer)."""

    def __init__(self, digits: int):
        self.digits = digits

    def get(self, name: str, default: int) -> int:
        return self.digits


_References = dict[str, int] | _EveryName


def _digits(formula: Formula, references: _References, error: TooLarge) -> int:
    """Digits `systems` may reach computing `formula`, working left to right; `error` past the
    cap."""
    try:
        digits, whole = _evaluate(formula, references)
    except TooLarge as exc:
        error.digits = exc.digits
        raise error from None
    return digits if whole else FLOAT_DIGITS


def _evaluate(formula: Formula, references: _References) -> tuple[int, bool]:
    """(digits, may be an int) of the formula's value, checking every intermediate value."""
    acc: tuple[int, bool] | None = None
    op = None
    for term in formula.terms:
        if isinstance(term, Operator):
            op = term.text
            continue
        operand = _operand(term, references)
        acc = operand if acc is None else _combine(acc, op, operand)
        if acc[0] > MAX_FORMULA_DIGITS:
            raise TooLarge(digits=MAX_FORMULA_DIGITS)
    return acc or (1, True)


def _operand(term: Term, references: _References) -> tuple[int, bool]:
    if isinstance(term, Formula):
        return _evaluate(term, references)
    if isinstance(term, Reference):
        return references.get(term.text, FLOAT_DIGITS), True
    if term.whole:
        if len(term.text) > MAX_VALUE_DIGITS:  # and past 4,300, `systems` can't even read it
            raise TooLarge(digits=MAX_VALUE_DIGITS)
        return len(term.text), True
    return FLOAT_DIGITS, False  # decimals and inf are floats


def _combine(left: tuple[int, bool], op: str, right: tuple[int, bool]) -> tuple[int, bool]:
    whole = left[1] and right[1]
    if op == "*":
        return (left[0] + right[0], True) if whole else (FLOAT_DIGITS, False)
    if op in ("+", "-", None):  # no operator: a nested formula `systems` will refuse
        return max(left[0], right[0]) + 1, whole
    return FLOAT_DIGITS, False  # `/` always gives a float, or raises OverflowError
