"""What bare `systems` computes with a stock starting elsewhere."""

from __future__ import annotations

from systems.parse import parse

from bot.model.edit import apply_overrides
from bot.model.scenario_syntax import starting_text

from .oracle import prepared_lines, systems_run

# The what-if examples' model: Recruiters is a parameter that Screens' rate reads.
FUNNEL = """\
Recruiters(2)
[Candidates] > Screens @ Recruiters * 5
Screens > Onsites @ Conversion(0.5)
Onsites > Hires @ Conversion(0.5)"""
# A stock that a rate divides by: zero breaks the model.
DIVIDED = "[C] > S @ 10 / R\nR(2)\nS > T @ 1"


def edited(definition: str, stock: str, value) -> str:
    """The definition as the user wrote it, prepared and edited to start `stock` at `value`."""
    return apply_overrides("\n".join(prepared_lines(definition)), {stock: starting_text(value)})


def systems_builds(definition: str) -> bool:
    """Whether `systems` parses and validates the definition (running it may still fail)."""
    try:
        parse(definition, tracebacks=False).validate()
    except Exception:
        return False
    return True


def systems_with(definition: str, stock: str, value, rounds: int):
    """(visible stocks, rows) from `systems`' own Model.run on the edited definition."""
    return systems_run(edited(definition, stock, value), rounds)
