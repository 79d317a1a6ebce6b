"""Running code as a request the chassis' front door has given a deadline."""

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from cupcake_chassis.deadline import DeadlineMiddleware
from cupcake_testing.clock import ManualClock

T = TypeVar("T")


def under_deadline(
    seconds: float, work: Callable[[], T], *, clock: ManualClock, spend: float = 0.0
) -> T:
    """Run ``work`` inside a request that DeadlineMiddleware gave ``seconds`` on ``clock``,
    of which ``spend`` seconds have already passed; return what it returned."""
    results: list[T] = []

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        clock.advance(spend)
        results.append(work())
        start_response("204 No Content", [])
        return []

    DeadlineMiddleware(app, default_seconds=seconds, clock=clock)({}, lambda *args: None)
    return results[0]
