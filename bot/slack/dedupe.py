"""An in-memory guard in front of the thread check: drops a delivery this instance has seen."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict


class RecentKeys:
    """Keys claimed recently. A key is released if its handling failed, so a retry can redo it."""

    def __init__(self, capacity: int = 4096, ttl_seconds: float = 600.0):
        self._keys: OrderedDict[str, float] = OrderedDict()
        self._capacity = capacity
        self._ttl = ttl_seconds
        self._lock = threading.Lock()

    def claim(self, key: str) -> bool:
        """True the first time a key is seen within the TTL; False for a repeat."""
        now = time.monotonic()
        with self._lock:
            self._expire(now)
            if key in self._keys:
                return False
            self._keys[key] = now
            return True

    def release(self, key: str) -> None:
        with self._lock:
            self._keys.pop(key, None)

    def _expire(self, now: float) -> None:
        while self._keys and (
            len(self._keys) >= self._capacity or now - next(iter(self._keys.values())) > self._ttl
        ):
            self._keys.popitem(last=False)
