"""Test doubles of the chassis' clock and spawn: time that moves only when a test says so
(nothing waits, nothing depends on how busy the machine is), and background work kept
until the test runs it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class ManualClock:
    """A clock for tests: its time moves only by ``advance`` (or ``sleep``), in every thread.

    Its wall clock starts at the machine's, so that HTTP dates made from it look current.
    """

    def __init__(self, start: float | None = None) -> None:
        self._lock = threading.Lock()
        self._wall = time.time() if start is None else start
        # An origin of its own, as the system's monotonic clock has; at 0, the times a test
        # adds up are exact more often (1000.05 - 1000.0 is not 0.05 in floating point).
        self._monotonic = 0.0

    def monotonic(self) -> float:
        """The current time on the monotonic clock."""
        with self._lock:
            return self._monotonic

    def time(self) -> float:
        """The current wall-clock time."""
        with self._lock:
            return self._wall

    def advance(self, seconds: float) -> None:
        """Move both clocks ``seconds`` forward."""
        if seconds < 0:
            raise ValueError("a clock does not go back")
        with self._lock:
            self._wall += seconds
            self._monotonic += seconds

    def sleep(self, seconds: float) -> None:
        """Sleep without waiting: the clock moves ``seconds`` forward at once."""
        self.advance(max(0.0, seconds))


class ManualSpawn:
    """Background work for tests: kept, in order, until the test runs it with ``run``."""

    def __init__(self) -> None:
        self.pending: list[tuple[str, Callable[[], None]]] = []

    def __call__(self, work: Callable[[], None], *, name: str) -> None:
        """Keep ``work`` to be run later."""
        self.pending.append((name, work))

    def run(self) -> int:
        """Run the work kept so far (and any it starts), in order; how much there was."""
        ran = 0
        while self.pending:
            _name, work = self.pending.pop(0)
            work()
            ran += 1
        return ran
