"""Text shaped to make a scanner that backtracks take seconds to hours, each shape a function
of the text's length."""

from __future__ import annotations

from collections.abc import Callable


def flow_line(n: int) -> str:
    """Issue 11: the old `_FLOW_LINE` took 15.6 s on 6,400 characters of this."""
    half = (n - 5) // 2
    return "a" + " " * half + ">b" + " " * half + " c"


def rerun_word(n: int) -> str:
    """Issue 11: the old `_RERUN_WORDS` took 14.4 s on 40,000 characters of this."""
    return "rerun" + " " * (n - 6) + "x"


def _repeated(unit: str) -> Callable[[int], str]:
    return lambda n: (unit * (n // len(unit) + 1))[:n]


def _opened(start: str, filler: str) -> Callable[[int], str]:
    return lambda n: (start + filler * n)[:n]


SHAPES: dict[str, Callable[[int], str]] = {
    "flow line: a, spaces, >b, spaces, c": flow_line,
    "rerun, spaces, x": rerun_word,
    "lines that almost read as flows": _repeated("a>b@?\n"),
    "flow lines with a rate no stock could have": _repeated("Phone Screens(5) > Hires @ 5pm\n"),
    "one rate as long as the text": _opened("a > b @ ", "1 +"),
    "stock parameters as long as the text": _opened("a(", "1,"),
    "brackets never closed": _repeated("["),
    "Slack markup never closed": _opened("<@", "a"),
    "a link never closed": _opened("<http:", "a"),
    "a fence never closed": _opened("```", "a"),
    "inline code never closed": _opened("`", "a"),
    "rounds, then spaces": _opened("rounds", " "),
    "rounds, then digits": _opened("rounds ", "1"),
    "names and equals signs": _repeated("a ="),
    "a name, spaces, equals, spaces": lambda n: (
        "a" + " " * (n // 2 - 2) + "=" + " " * (n // 2 - 2) + "x"
    ),
    "a list of values that goes on": _opened("a=1", ",1"),
    "a list of values, spaces after each comma": _repeated("a=1, "),
    "a range, spaces, no step": lambda n: "a=1..2" + " " * (n - 7) + "x",
    "ranges that almost have a step": _repeated("a=1..2 step "),
    "find lines without a goal": _repeated("find a in 1..2:\n"),
    "find, a name and spaces": lambda n: "find a" + " " * (n - 8) + ":>",
    "entities": _repeated("&gt;"),
    "unicode spaces and quotes": _repeated("\u00a0\u2019\u200b"),
    "punctuation lines in a thread": _repeated(".,;:!? \n"),
}
