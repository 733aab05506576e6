"""The one rule for "did you mean": which known name a mistyped one was most likely meant to be.

Errors (an unknown reference, an unknown flow kind), warnings (a stock that appears only once)
and overrides (`--set Hirez=10`) all suggest names by this rule, so they agree on what is close.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

# difflib's own default: roughly, up to two letters in five may be wrong, missing or extra.
CLOSENESS = 0.6


def closest(word: str, names: Iterable[str]) -> str | None:
    """The name most like `word` ignoring case (by difflib's ratio, at least CLOSENESS), or
    None. A name that differs from `word` only in case is always the closest."""
    by_lowered: dict[str, str] = {}
    for name in names:
        by_lowered.setdefault(name.lower(), name)
    found = difflib.get_close_matches(word.lower(), by_lowered, n=1, cutoff=CLOSENESS)
    return by_lowered[found[0]] if found else None
