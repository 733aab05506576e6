"""A Hypothesis strategy for definitions `systems` accepts: chains and trees of stocks joined
by flows of every kind, with initial values, maximums and formulas that refer to stocks.

The helpers take `draw` and build no strategies of their own: Hypothesis validates every new
strategy object, and doing that per draw would make generation ten times slower.
"""

from __future__ import annotations

from hypothesis import strategies as st

NAMES = (
    "a b c x y z A B Q Candidates Screens Onsites Offers Hires Engineers Departed "
    "Phone_Screens x1 b2B Pool_2 LO KiFh_EpA N1 rateX Leaky Conv t0 z9z"
).split()
OPERATORS = ("+", "-", "*", "/")
SPACES = ("", " ", "  ")
FRACTIONS = ("0", "05", "1", "25", "333", "5", "75", "9", "99")


def _pick(draw, options):
    return draw(st.sampled_from(tuple(options)))


def _whole(draw) -> str:
    return str(draw(st.integers(min_value=0, max_value=200)))


def _decimal(draw) -> str:
    return f"{draw(st.integers(0, 3))}.{_pick(draw, FRACTIONS)}"


def _formula(draw, names: list[str], depth: int = 2) -> str:
    """Numbers and stock references joined by operators, with parentheses."""
    shape = draw(st.integers(0, 3)) if depth else 0
    if shape == 0:
        leaf = draw(st.integers(0, 2))
        return (_whole, _decimal, lambda d: _pick(d, names))[leaf](draw)
    left, right = _formula(draw, names, depth - 1), _formula(draw, names, depth - 1)
    op = _pick(draw, OPERATORS)
    return (f"{left} {op} {right}", f"({left}){op}{right}", f"{left} {op} ({right})")[shape - 1]


def _rate(draw, names: list[str], infinite_source: bool) -> str:
    """Every kind of flow, explicit and implicit; an infinite stock can only feed a rate."""
    kinds = [
        _whole,
        lambda d: f"Rate({_formula(d, names)})",
        lambda d: _formula(d, names),
    ]
    if not infinite_source:
        kinds += [
            _decimal,
            lambda d: f"Conversion({_decimal(d)})",
            lambda d: f"Leak({_decimal(d)})",
        ]
    return kinds[draw(st.integers(0, len(kinds) - 1))](draw)


def _params(draw, earlier: list[str]) -> str:
    """`(initial)` or `(initial, maximum)`, the initial maybe a formula of earlier stocks."""
    if earlier and draw(st.booleans()):
        params = [_formula(draw, earlier, 1)]
    else:
        params = [_decimal(draw) if draw(st.booleans()) else _whole(draw)]
    maximum = draw(st.integers(0, 3))
    if maximum == 1:
        params.append(_whole(draw))
    elif maximum == 2:
        params.append("inf")
    elif maximum == 3:
        params.append(_formula(draw, earlier or ["1"], 1))
    return "(" + ", ".join(params) + ")"


def _mention(draw, names: list[str], index: int, infinite: set[str], declared: set[str]) -> str:
    """A stock as written in a flow: bracketed if infinite, with params the first time maybe."""
    name = names[index]
    if name in infinite:
        return f"[{name}]"
    if name in declared or not draw(st.booleans()):
        return name
    declared.add(name)
    return name + _params(draw, names[:index])


@st.composite
def valid_models(draw) -> str:
    """Stocks 0..n-1 in a tree (each fed by an earlier one) plus a few extra flows."""
    names = draw(st.lists(st.sampled_from(NAMES), min_size=2, max_size=6, unique=True))
    infinite = {names[0]} if draw(st.booleans()) else set()
    edges = [(draw(st.integers(0, i - 1)), i) for i in range(1, len(names))]
    extra = st.tuples(st.integers(0, len(names) - 1), st.integers(0, len(names) - 1))
    edges += [(a, b) for a, b in draw(st.lists(extra, max_size=3)) if a != b]
    declared: set[str] = set()
    lines = []
    for source, destination in edges:
        ends = [_mention(draw, names, i, infinite, declared) for i in (source, destination)]
        flow = _rate(draw, names, names[source] in infinite)
        lines.append(f"{ends[0]}{_pick(draw, SPACES)}>{_pick(draw, SPACES)}{ends[1]} @ {flow}")
    for index, name in enumerate(names):
        if name not in declared and name not in infinite and draw(st.booleans()):
            lines.append(name + _params(draw, names[:index]))
    return "\n".join(lines)
