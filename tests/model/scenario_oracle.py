"""What bare `systems` computes with a stock starting elsewhere."""

from __future__ import annotations

from systems.parse import parse

from bot.model.edit import apply_overrides
from bot.model.scenario_syntax import starting_text

from .oracle import prepared_lines, systems_run


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
