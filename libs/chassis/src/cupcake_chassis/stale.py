"""Last good answers, kept to be served when their upstream fails (RFC 5861 stale-if-error)."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any

from cupcake_chassis.clock import SYSTEM_CLOCK, Clock

_MAX_AGE = re.compile(r"(?:^|,)\s*max-age\s*=\s*(\d+)", re.IGNORECASE)
_STALE_IF_ERROR = re.compile(r"(?:^|,)\s*stale-if-error\s*=\s*(\d+)", re.IGNORECASE)


@dataclass(frozen=True)
class _Kept:
    data: Any
    status_code: int
    usable_until: float


def stale_window(cache_control: str) -> float:
    """Seconds after storing during which an answer may be served on error (0: never)."""
    stale = _STALE_IF_ERROR.search(cache_control)
    if stale is None:
        return 0.0
    fresh = _MAX_AGE.search(cache_control)
    return float(stale.group(1)) + (float(fresh.group(1)) if fresh else 0.0)


class StaleStore:
    """Per-URL last good answers, bounded in number, safe to share between threads."""

    def __init__(self, max_entries: int = 256, clock: Clock = SYSTEM_CLOCK) -> None:
        self._entries: dict[str, _Kept] = {}
        self._lock = threading.Lock()
        self._max_entries = max_entries
        self._clock = clock

    def keep(self, url: str, *, data: Any, status_code: int, cache_control: str) -> None:
        """Keep a good answer for as long as its Cache-Control allows serving it stale."""
        window = stale_window(cache_control)
        if window <= 0:
            return
        with self._lock:
            if len(self._entries) >= self._max_entries and url not in self._entries:
                self._entries.pop(next(iter(self._entries)))
            self._entries[url] = _Kept(data, status_code, self._clock.monotonic() + window)

    def get(self, url: str) -> tuple[Any, int] | None:
        """The kept answer's data and status for ``url``, if still within its window."""
        with self._lock:
            kept = self._entries.get(url)
        if kept is None or kept.usable_until < self._clock.monotonic():
            return None
        return kept.data, kept.status_code
