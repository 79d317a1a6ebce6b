"""Fresh answers kept parsed in memory, in front of the HTTP cache.

While an answer is fresh (RFC 9111: younger than its ``max-age``), the HTTP cache would
serve its stored copy without asking the upstream. Going through it still costs the whole
HTTP client, a storage lookup and JSON parsing, several times the rest of a composition;
this keeps the parsed answer and serves it for exactly as long, by the same rule as the
cache (hishel's): fresh while ``now - Date < max-age``. Anything the rule does not cover
plainly (``no-cache``, ``no-store``, ``Vary``, no ``max-age``) is left to the HTTP cache.

The data is shared by every caller until the answer expires: never change it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

from cupcake_chassis.clock import SYSTEM_CLOCK, Clock

_MAX_AGE = re.compile(r"(?:^|,)\s*max-age\s*=\s*(\d+)\s*(?:,|$)", re.IGNORECASE)
_NOT_PLAINLY_FRESH = re.compile(r"no-cache|no-store", re.IGNORECASE)


@dataclass(frozen=True)
class _Kept:
    data: Any
    status_code: int
    fresh_until: float  # wall clock, as the Date header is


def fresh_until(headers: Mapping[str, str]) -> float | None:
    """Until when (wall clock) an answer with these headers is fresh; None: leave it alone."""
    cache_control = headers.get("cache-control", "")
    max_age = _MAX_AGE.search(cache_control)
    if max_age is None or _NOT_PLAINLY_FRESH.search(cache_control) or "vary" in headers:
        return None
    try:
        date = parsedate_to_datetime(headers.get("date", "")).timestamp()
    except (TypeError, ValueError):
        return None
    return date + int(max_age.group(1))


class FreshStore:
    """Per-URL fresh answers, parsed, bounded in number, safe to share between threads."""

    def __init__(self, max_entries: int = 256, clock: Clock = SYSTEM_CLOCK) -> None:
        self._entries: dict[str, _Kept] = {}
        self._lock = threading.Lock()
        self._max_entries = max_entries
        self._clock = clock

    def keep(
        self, url: str, *, data: Any, headers: Mapping[str, str], status_code: int = 200
    ) -> None:
        """Keep an answer for as long as it is fresh (not at all if it is not)."""
        until = fresh_until(headers)
        with self._lock:
            if until is None or until <= self._clock.time():
                self._entries.pop(url, None)
                return
            if len(self._entries) >= self._max_entries and url not in self._entries:
                self._entries.pop(next(iter(self._entries)))
            self._entries[url] = _Kept(data, status_code, until)

    def get(self, url: str) -> tuple[Any, int] | None:
        """The kept answer's data and status for ``url``, while it is fresh."""
        with self._lock:
            kept = self._entries.get(url)
        if kept is None or kept.fresh_until <= self._clock.time():
            return None
        return kept.data, kept.status_code
