"""The one module that reaches inside `systems` (0.1.0); the rest of bot.model sees typed values.

`systems` reports what it reads as nested token tuples, says why it refuses a model through
exception classes whose texts must be parsed (typos and all), and keeps the order in which it
computes initial values in `Model.initial_path`. Here those become readings, formulas, stocks
and flows, and one SystemsError whose `refusal` is a closed set and which carries the line
wherever `systems` knows it. tests/model/test_systems_contract.py pins everything this module
relies on, so an upgrade of `systems` fails there first.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum, auto

import systems.parse
from systems import errors, lexer, models

Value = int | float
Values = dict[str, Value]  # stock name to value, as `systems` keeps a round's state

STOCK_NAME = re.compile(lexer.LEGAL_STOCK_NAME)


# --- what `systems` reads ----------------------------------------------------------------------


@dataclass(slots=True)
class Number:
    """A number as written: a whole number (an int to `systems`), a decimal or `inf`."""

    text: str
    whole: bool


@dataclass(slots=True)
class Reference:
    """A stock's name inside a formula."""

    text: str


@dataclass(slots=True)
class Operator:
    """`+`, `-`, `*` or `/`."""

    text: str


@dataclass(slots=True)
class Formula:
    """A value as `systems` reads it: terms worked out left to right, with no precedence, and a
    nested Formula for each pair of parentheses."""

    terms: tuple[Term, ...]

    def as_text(self, parentheses: bool = True) -> str:
        """The terms joined by spaces; without `parentheses`, nested formulas are left unmarked,
        as `systems` itself prints them."""
        return " ".join(
            (f"({term.as_text()})" if parentheses else term.as_text(False))
            if isinstance(term, Formula)
            else term.text
            for term in self.terms
        )

    def nested(self) -> Iterator[Formula]:
        """This formula and every formula inside it."""
        yield self
        for term in self.terms:
            if isinstance(term, Formula):
                yield from term.nested()


Term = Number | Reference | Operator | Formula


@dataclass(slots=True)
class StockReading:
    """A stock as `systems` read it from a line: `[name]`, `name` or `name(initial, maximum)`."""

    name: str
    infinite: bool
    params: tuple[Formula, ...]

    def as_text(self) -> str:
        if self.infinite:
            return f"[{self.name}]"
        return f"{self.name}({_joined(self.params)})" if self.params else self.name


@dataclass(slots=True)
class RateReading:
    """A flow's rate as `systems` read it: `Leak(0.5)`, or a bare value (`kind` is then "")."""

    kind: str
    params: tuple[Formula, ...]

    def as_text(self) -> str:
        return f"{self.kind}({_joined(self.params)})" if self.kind else _joined(self.params)


@dataclass(slots=True)
class LineReading:
    """One line as `systems`' lexer reads it. It reads every stock on the line, though only the
    first two take part in a flow."""

    stocks: tuple[StockReading, ...]
    rate: RateReading | None

    def formulas(self) -> Iterator[Formula]:
        """Every formula on the line, nested ones included."""
        rate_params = self.rate.params if self.rate else ()
        for params in (*(stock.params for stock in self.stocks), rate_params):
            for formula in params:
                yield from formula.nested()


def _joined(params: tuple[Formula, ...]) -> str:
    return ", ".join(formula.as_text() for formula in params)


def read_line(line: str, number: int) -> LineReading:
    """What `systems`' lexer reads in line `number` of a definition."""
    try:
        _, lines = lexer.lex(line)
    except Exception as exc:
        raise _lexer_error(exc, number) from None
    tokens = lines[0][2] if lines else []
    stocks = [_stock_reading(token) for token in tokens if token[0] in _STOCK_TOKENS]
    rates = [_rate_reading(token) for token in tokens if token[0] == lexer.TOKEN_FLOW]
    return LineReading(tuple(stocks), rates[0] if rates else None)


_STOCK_TOKENS = (lexer.TOKEN_STOCK, lexer.TOKEN_STOCK_INFINITE)


def read_stock(text: str) -> StockReading:
    """What `systems` reads in the text of one stock."""
    try:
        return _stock_reading(lexer.lex_stock(text))
    except Exception as exc:
        raise _lexer_error(exc) from None


def read_rate(text: str) -> RateReading:
    """What `systems` reads in the text after `@`."""
    try:
        return _rate_reading(lexer.lex_flow(text))
    except Exception as exc:
        raise _lexer_error(exc) from None


def _stock_reading(token: tuple) -> StockReading:
    kind, name, (_, params) = token
    return StockReading(name, kind == lexer.TOKEN_STOCK_INFINITE, _formulas(params))


def _rate_reading(token: tuple) -> RateReading:
    _, kind, (_, params) = token
    return RateReading(kind, _formulas(params))


def _formulas(params) -> tuple[Formula, ...]:
    return tuple([_formula(lexed) for lexed in params])


def _formula(lexed: tuple) -> Formula:
    return Formula(tuple([_TERMS[kind](value) for kind, value in lexed[1]]))


_TERMS = {
    lexer.TOKEN_FORMULA: lambda terms: _formula((lexer.TOKEN_FORMULA, terms)),
    lexer.TOKEN_OP: Operator,
    lexer.TOKEN_REFERENCE: Reference,
    lexer.TOKEN_WHOLE: lambda text: Number(text, True),
    lexer.TOKEN_DECIMAL: lambda text: Number(text, False),
    lexer.TOKEN_INFINITY: lambda text: Number(text, False),
}


# --- why `systems` refuses a model ---------------------------------------------------------------


class Refusal(Enum):
    """What `systems` objects to, as far as its exceptions tell."""

    UNOPENED_PAREN = auto()  # a `)` inside a value that closes nothing
    ILLEGAL_STOCK_NAME = auto()
    UNREADABLE_LINE = auto()  # anything else while reading or building a line
    CONFLICTING_VALUES = auto()  # a stock given two initial values or maximums
    UNKNOWN_FLOW_KIND = auto()
    INFINITE_SOURCE = auto()  # an infinite stock as the source of a conversion or leak
    RATE_COUNT = auto()  # a rate with other than one value
    FLOW_WITHOUT_DESTINATION = auto()  # `a @ 5`: a flow with no destination
    EMPTY_FORMULA = auto()
    LEADING_OPERATOR = auto()
    OPERATOR_AFTER_OPERATOR = auto()
    MISSING_OPERATOR = auto()
    TRAILING_OPERATOR = auto()
    BAD_FORMULA = auto()  # a formula `systems` refuses for a reason not listed here
    UNKNOWN_REFERENCE = auto()
    CIRCULAR_INITIAL_VALUES = auto()
    NO_VALUE_YET = auto()  # a stock's value was needed before `systems` had computed it
    DIVISION_BY_ZERO = auto()
    OVERFLOW = auto()  # a value outgrew floating point
    FAILED = auto()  # anything else


FORMULA_REFUSALS = frozenset(
    {
        Refusal.EMPTY_FORMULA,
        Refusal.LEADING_OPERATOR,
        Refusal.OPERATOR_AFTER_OPERATOR,
        Refusal.MISSING_OPERATOR,
        Refusal.TRAILING_OPERATOR,
        Refusal.BAD_FORMULA,
    }
)


@dataclass
class SystemsError(Exception):
    """Why `systems` would not read, build or run a model.

    `line` is 1-based where `systems` says which line; `name` is the stock, flow kind or
    reference concerned; `formula` the formula refused; `cycle` the stocks whose initial values
    refer to each other in a circle; `detail` one line from the original exception, with no
    token tuples in it.
    """

    refusal: Refusal
    line: int | None = None
    name: str | None = None
    formula: Formula | None = None
    cycle: tuple[str, ...] = ()
    detail: str = ""


def _one_line(exc: BaseException) -> str:
    """The first line of what `exc` says, with no token tuples or Python reprs in it."""
    text = str(exc).split("\n")[0]
    text = re.sub(r"\[\(.*", "", text).strip(" :\"'")
    return text or type(exc).__name__.replace("Error", " error").strip().lower()


def _lexer_error(exc: Exception, line: int | None = None) -> SystemsError:
    if isinstance(exc, IndexError):  # the lexer pops a group that was never opened
        return SystemsError(Refusal.UNOPENED_PAREN, line, detail=_one_line(exc))
    if isinstance(exc, errors.IllegalStockName):
        return SystemsError(Refusal.ILLEGAL_STOCK_NAME, line, exc.name, detail=_one_line(exc))
    return SystemsError(Refusal.UNREADABLE_LINE, line, detail=_one_line(exc))


# `InvalidFormula.msg` texts, exactly as `systems` 0.1.0 writes them.
_FORMULA_MESSAGES = {
    "formula is empty. must specify a number or a reference": Refusal.EMPTY_FORMULA,
    "can't start with an operation": Refusal.LEADING_OPERATOR,
    "operation can't be preceeded by an operation": Refusal.OPERATOR_AFTER_OPERATOR,
    "must have an operation between values or references": Refusal.MISSING_OPERATOR,
    "formula cannot end with an operation": Refusal.TRAILING_OPERATOR,
}
_UNKNOWN_REFERENCE = re.compile(r"reference to non-existant stock '(.*)'")


def _formula_error(exc: errors.InvalidFormula, line: int | None = None) -> SystemsError:
    formula = _formula(exc.formula.lexed)
    unknown = _UNKNOWN_REFERENCE.fullmatch(exc.msg)
    if unknown:
        name = unknown.group(1)
        return SystemsError(Refusal.UNKNOWN_REFERENCE, line, name, formula, detail=exc.msg)
    refusal = _FORMULA_MESSAGES.get(exc.msg, Refusal.BAD_FORMULA)
    return SystemsError(refusal, line, formula=formula, detail=exc.msg)


def _parse_error(exc: errors.ParseError) -> SystemsError:
    line = exc.line_number
    if isinstance(exc, errors.ConflictingValues):
        return SystemsError(Refusal.CONFLICTING_VALUES, line, exc.name, detail=_one_line(exc))
    if isinstance(exc, errors.UnknownFlowType):
        return SystemsError(Refusal.UNKNOWN_FLOW_KIND, line, exc.flow_type, detail=_one_line(exc))
    inner = exc.exception or exc
    if isinstance(inner, errors.InvalidFormula):
        return _formula_error(inner, line)
    refusal = Refusal.UNREADABLE_LINE
    if isinstance(inner, errors.IllegalSourceStock):
        refusal = Refusal.INFINITE_SOURCE
    elif isinstance(inner, TypeError):  # Rate(*params) with other than one param
        refusal = Refusal.RATE_COUNT
    return SystemsError(refusal, line, detail=_one_line(inner))


def _circle(graph: dict[str, list[str]]) -> tuple[str, ...]:
    """One circle of references in `systems`' graph, which also holds stocks outside it."""
    for start in graph:
        path = [start]
        while True:
            following = next((name for name in graph[path[-1]] if graph.get(name)), None)
            if following is None:
                break
            if following in path:
                return tuple(path[path.index(following) :])
            path.append(following)
    return ()


# --- the model `systems` builds, and its run -----------------------------------------------------


class FlowKind(Enum):
    """The kinds of flow, by the names written in a definition."""

    RATE = "Rate"
    CONVERSION = "Conversion"
    LEAK = "Leak"


_FLOW_KINDS = {
    models.Rate: FlowKind.RATE,
    models.Conversion: FlowKind.CONVERSION,
    models.Leak: FlowKind.LEAK,
}


@dataclass(slots=True)
class Stock:
    """A stock of the built model. `shown` is False for `[Infinite]` stocks, which `systems`
    leaves out of its table."""

    name: str
    shown: bool
    initial: Formula
    maximum: Formula
    _upstream: models.Stock = field(repr=False, compare=False)

    def initial_value(self, values: Values) -> Value:
        return self._upstream.initial.compute(values)

    def maximum_value(self, values: Values) -> Value:
        return self._upstream.maximum.compute(values)


@dataclass(slots=True)
class Flow:
    """A flow of the built model, and the line of the definition it was built from."""

    source: str
    destination: str
    kind: FlowKind
    rate: Formula
    line: int
    _upstream: models.Flow = field(repr=False, compare=False)

    def change(self, values: Values) -> tuple[Value, Value]:
        """(taken from the source, added to the destination) in a round that starts at
        `values`."""
        return self._upstream.change(values, values[self.source], values[self.destination])


class BuiltModel:
    """A model `systems` has built and validated."""

    def __init__(self, model: models.Model, flow_lines: Sequence[int]):
        self._model = model
        self.stocks = [
            Stock(s.name, s.show, _formula(s.initial.lexed), _formula(s.maximum.lexed), s)
            for s in model.stocks
        ]
        self.flows = [
            Flow(
                f.source.name,
                f.destination.name,
                _FLOW_KINDS[type(f.rate)],
                _formula(f.rate.formula.lexed),
                line,
                f,
            )
            for f, line in zip(model.flows, flow_lines, strict=True)
        ]

    @property
    def visible_stocks(self) -> list[str]:
        return [stock.name for stock in self.stocks if stock.shown]

    def has_stock(self, name: str) -> bool:
        return self._model.get_stock(name) is not None

    def stocks_in_initial_order(self) -> list[Stock]:
        """The order `systems`' State computes initial values in: stocks no initial value
        refers to first, in model order, then the others as their references need."""
        by_name = {stock.name: stock for stock in self.stocks}
        path = self._model.initial_path
        later = set(path)
        return [s for s in self.stocks if s.name not in later] + [by_name[name] for name in path]

    def failing_initial(self) -> Stock | None:
        """The first stock whose initial value `systems` fails to compute."""
        values: Values = {}
        for stock in self.stocks_in_initial_order():
            try:
                values[stock.name] = stock.initial_value(values)
            except Exception:
                return stock
        return None

    def with_initial(self, name: str, literal: str) -> BuiltModel:
        """This model with stock `name` starting at `literal` (a formula's text, as written in
        its parentheses), built as `systems` builds a definition that gives it that value; this
        model is left as it was, so one parse serves many starting values."""
        changed = copy.copy(self._model)
        upstream = copy.copy(changed.get_stock(name))
        upstream.initial = models.Formula(literal)
        changed.stocks = [upstream if s.name == name else s for s in changed.stocks]
        # Flows keep the old stock object: they read only its name and maximum, both unchanged.
        changed.validate()  # the order State computes initial values in, as systems works it out
        built = copy.copy(self)
        built._model = changed
        built.stocks = [
            Stock(s.name, s.shown, _formula(upstream.initial.lexed), s.maximum, upstream)
            if s.name == name
            else s
            for s in self.stocks
        ]
        return built

    def failing_flow(self, values: Values) -> Flow | None:
        """The first flow that fails in a round starting at `values`."""
        for flow in self.flows:
            try:
                flow.change(values)
            except Exception:
                return flow
        return None


def parse(definition: str, flow_lines: Sequence[int]) -> BuiltModel:
    """Build and validate the model with `systems`. `flow_lines` are the lines whose reading
    has a rate, in order: `systems` builds one flow from each."""
    try:
        model = systems.parse.parse(definition, tracebacks=False)
    except errors.ParseError as exc:
        raise _parse_error(exc) from None
    except Exception as exc:  # `systems` raises bare exceptions from inside its lexer
        raise SystemsError(Refusal.FAILED, detail=_one_line(exc)) from None
    for flow, line in zip(model.flows, flow_lines, strict=True):
        if flow.destination is None:  # the lexer always reads a source before a rate
            raise SystemsError(Refusal.FLOW_WITHOUT_DESTINATION, line)
    try:
        model.validate()
    except errors.InvalidFormula as exc:
        raise _formula_error(exc) from None
    except errors.CircularReferences as exc:
        cycle = _circle(exc.cycle) if isinstance(exc.cycle, dict) else ()
        circular = Refusal.CIRCULAR_INITIAL_VALUES
        raise SystemsError(circular, cycle=cycle, detail=_one_line(exc)) from None
    except Exception as exc:
        raise SystemsError(Refusal.FAILED, detail=_one_line(exc)) from None
    return BuiltModel(model, flow_lines)


class Simulation:
    """`systems`' own State, a round at a time; `values` is the current round's state."""

    def __init__(self, model: BuiltModel):
        self._model = model
        try:
            state = models.State(model._model)
        except Exception as exc:
            raise _run_error(exc, model) from None
        self.values: Values = state.state  # the same dict, updated in place each round
        # Bound once, as both run every round. `advance` raises what `systems` raises: pass it
        # to `failure` (a try costs nothing until it catches, a wrapper's call every round).
        self.advance: Callable[[], None] = state.advance
        self.snapshot: Callable[[], Values] = state.snapshot

    def failure(self, exc: Exception) -> SystemsError:
        """What `advance` raising `exc` means."""
        return _run_error(exc, self._model)


def _run_error(exc: Exception, model: BuiltModel) -> SystemsError:
    if isinstance(exc, errors.InvalidFormula):  # a nested formula is checked when computed
        return _formula_error(exc)
    missing = exc.args[0] if isinstance(exc, KeyError) and exc.args else None
    if isinstance(missing, str):  # `systems` checks references only outside parentheses
        known = model.has_stock(missing)
        refusal = Refusal.NO_VALUE_YET if known else Refusal.UNKNOWN_REFERENCE
        return SystemsError(refusal, name=missing, detail=_one_line(exc))
    if isinstance(exc, ZeroDivisionError):
        return SystemsError(Refusal.DIVISION_BY_ZERO, detail=_one_line(exc))
    if isinstance(exc, OverflowError):
        return SystemsError(Refusal.OVERFLOW, detail=_one_line(exc))
    return SystemsError(Refusal.FAILED, detail=_one_line(exc))
