"""A circuit breaker per upstream: fail fast while it is down, let one trial call find out.

Written here rather than taken from pybreaker or circuitbreaker because of how a
threaded WSGI server uses it: pybreaker holds its lock for the whole protected call,
which serialises every call to an upstream and, in half-open, makes every caller wait
behind the trial call for up to its timeout; circuitbreaker lets every concurrent caller
through in half-open. Here the lock guards only state changes, and half-open admits one
trial call at a time while the others keep failing fast.
"""

from __future__ import annotations

import threading

from cupcake_chassis.clock import SYSTEM_CLOCK, Clock

CLOSED, OPEN, HALF_OPEN = "closed", "open", "half-open"


class CircuitOpen(Exception):
    """The breaker is open: the upstream was not called."""


class CircuitBreaker:
    """Opens after ``failures`` failures in a row; after ``reset_after`` s one trial may pass."""

    def __init__(
        self,
        name: str,
        *,
        failures: int,
        reset_after: float,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.name = name
        self.failures = failures
        self.reset_after = reset_after
        self._clock = clock
        self._lock = threading.Lock()
        self._state = CLOSED
        self._failed = 0
        self._opened_at = 0.0
        self._trial_in_flight = False

    @property
    def current_state(self) -> str:
        """closed, open or half-open."""
        with self._lock:
            if self._state == OPEN and self._reset_time_passed():
                return HALF_OPEN
            return self._state

    def before_call(self) -> None:
        """Let a call through, or raise CircuitOpen without calling."""
        with self._lock:
            if self._state == CLOSED:
                return
            if self._state == OPEN and self._reset_time_passed():
                self._state = HALF_OPEN
            if self._state == HALF_OPEN and not self._trial_in_flight:
                self._trial_in_flight = True
                return
        raise CircuitOpen(f"circuit to {self.name} is open")

    def _reset_time_passed(self) -> bool:
        return self._clock.monotonic() - self._opened_at >= self.reset_after

    def record_success(self) -> None:
        """The call worked: close (a trial that worked closes the circuit)."""
        with self._lock:
            self._state = CLOSED
            self._failed = 0
            self._trial_in_flight = False

    def record_failure(self) -> None:
        """The call failed: count it, and open after too many (or after a failed trial)."""
        with self._lock:
            self._trial_in_flight = False
            self._failed += 1
            if self._state == HALF_OPEN or self._failed >= self.failures:
                self._state = OPEN
                self._opened_at = self._clock.monotonic()
