"""Time and background work, injected: what the resilient client, the breaker, the caches
and the deadline read the time from, and where the client starts its background calls.

A running service uses ``SYSTEM_CLOCK`` and ``thread_spawn``; tests hand in the doubles of
the dev-only ``cupcake_testing.clock`` (a clock that moves only when told, a spawn that
keeps background work until the test runs it).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol


class Clock(Protocol):
    """Where time comes from."""

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back, for durations and deadlines."""
        ...

    def time(self) -> float:
        """Seconds since the epoch (wall clock), as HTTP dates count them."""
        ...

    def sleep(self, seconds: float) -> None:
        """Let ``seconds`` pass."""
        ...


class SystemClock:
    """The machine's clocks."""

    def monotonic(self) -> float:
        """``time.monotonic()``."""
        return time.monotonic()

    def time(self) -> float:
        """``time.time()``."""
        return time.time()

    def sleep(self, seconds: float) -> None:
        """``time.sleep(seconds)``."""
        time.sleep(seconds)


SYSTEM_CLOCK: Clock = SystemClock()


class Spawn(Protocol):
    """Starts ``work`` in the background and returns at once."""

    def __call__(self, work: Callable[[], None], *, name: str) -> None:
        """Start ``work`` (``name`` names its thread, where there is one)."""
        ...


def thread_spawn(work: Callable[[], None], *, name: str) -> None:
    """Run ``work`` in a daemon thread of its own: a background call stuck on the network
    must never keep the process from exiting."""
    threading.Thread(target=work, name=name, daemon=True).start()
