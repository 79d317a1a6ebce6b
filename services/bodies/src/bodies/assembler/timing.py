"""The ``Server-Timing`` header of a composition: each peer call, and the whole answer.

Browsers show it in their developer tools next to the request, so the wire panel's story
(which call took how long) can be checked from outside the page.
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


def quoted(text: str) -> str:
    """``text`` as an HTTP quoted-string."""
    visible = _NOT_QUOTABLE.sub("?", text)
    return '"' + visible.replace("\\", "\\\\").replace('"', '\\"') + '"'


def server_timing(calls: Iterable[TimedCall], *, total_ms: float) -> str:
    """One metric per call, named after its service and numbered (``toppings-1``), then total."""
    numbers: Counter[str] = Counter()
    metrics = []
    for call in calls:
        numbers[call.service] += 1
        name = f"{call.service}-{numbers[call.service]}"
        description = quoted(f"{call.method} {call.path}")
        metrics.append(f"{name};dur={call.ms:.1f};desc={description}")
    metrics.append(f"total;dur={total_ms:.1f}")
    return ", ".join(metrics)
