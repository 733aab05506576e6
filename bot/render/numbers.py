"""Numbers as people read them; exports keep full precision elsewhere."""

from __future__ import annotations

import math
from decimal import Decimal

SIGNIFICANT = 6


def display_number(value) -> str:
    """`4.1499999999999995` reads as `4.15`, infinity as `∞`, integers as they are."""
    if isinstance(value, int):
        text = str(value)
        return text if len(text) <= 16 else f"{Decimal(value):.3E}".replace("E+", "e+")
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    if value == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(value)))
    if magnitude >= 15 or magnitude < -4:
        return f"{value:.3g}"
    decimals = max(0, SIGNIFICANT - 1 - magnitude)
    text = f"{value:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def json_number(value):
    """JSON has no infinity or NaN, so those travel as strings."""
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return value
