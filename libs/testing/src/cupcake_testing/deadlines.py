"""Running code as a request the chassis' front door has given a deadline."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from cupcake_chassis.clock import Clock
from cupcake_chassis.deadline import DeadlineMiddleware
from cupcake_testing.clock import ManualClock

T = TypeVar("T")


def under_deadline(
    seconds: float, work: Callable[[], T], *, clock: Clock | ManualClock, spend: float = 0.0
) -> T:
    """Run ``work`` inside a request that DeadlineMiddleware gave ``seconds`` on ``clock``,
    of which ``spend`` seconds have already passed (a ``ManualClock`` moved on); return what
    it returned. On the system's clock, the deadline runs out as a real one would."""
    results: list[T] = []

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if spend:
            assert isinstance(clock, ManualClock), "only a manual clock can be moved on"
            clock.advance(spend)
        results.append(work())
        start_response("204 No Content", [])
        return []

    DeadlineMiddleware(app, default_seconds=seconds, clock=clock)({}, lambda *args: None)
    return results[0]
