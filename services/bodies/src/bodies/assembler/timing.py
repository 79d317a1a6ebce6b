"""The ``Server-Timing`` header of a composition: each peer call, the cache, the whole answer.

Browsers show it in their developer tools next to the request, so the wire panel's story
(which call took how long, which answers came from the cache) can be checked from outside
the page; the panel itself reads the total from it: the time bodies spent on the answer.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Protocol

# A quoted-string may hold any visible ASCII; anything else is replaced.
_NOT_QUOTABLE = re.compile(r"[^\x20-\x7e]")


class TimedCall(Protocol):
    """What the header needs of a call."""

    service: str
    method: str
    path: str
    ms: float

    @property
    def cache(self) -> str:
        """miss, hit, revalidated or stale (read-only: a narrower type may fill it)."""


def quoted(text: str) -> str:
    """``text`` as an HTTP quoted-string."""
    visible = _NOT_QUOTABLE.sub("?", text)
    return '"' + visible.replace("\\", "\\\\").replace('"', '\\"') + '"'


def server_timing(calls: Iterable[TimedCall], *, total_ms: float) -> str:
    """One metric per call, named after its service and numbered (``toppings-1``), its cache
    answer in its description; then ``cache`` (how many answers came from where) and total."""
    numbers: Counter[str] = Counter()
    caches: Counter[str] = Counter()
    metrics = []
    for call in calls:
        numbers[call.service] += 1
        caches[call.cache] += 1
        name = f"{call.service}-{numbers[call.service]}"
        description = quoted(f"{call.method} {call.path} ({call.cache})")
        metrics.append(f"{name};dur={call.ms:.1f};desc={description}")
    if caches:
        counted = ", ".join(f"{cache} {count}" for cache, count in sorted(caches.items()))
        metrics.append(f"cache;desc={quoted(counted)}")
    metrics.append(f"total;dur={total_ms:.1f}")
    return ", ".join(metrics)
