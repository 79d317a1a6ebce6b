"""Deadlines: how long a request may take, carried from caller to callee.

The front door gives each request a budget. Every outbound call takes its timeout from
what is left and tells the next service, in the ``Request-Deadline-Ms`` header, how many
milliseconds remain; that service adopts the smaller of it and its own budget. A request
arriving with no time left is refused at once: its caller has already given up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from cupcake_chassis.clock import SYSTEM_CLOCK, Clock
from cupcake_chassis.problems import StartResponse, headers_added, problem_response

DEADLINE_HEADER = "Request-Deadline-Ms"
# Where admission control leaves the monotonic moment a request arrived (admission.ARRIVED):
# its budget counts from then, the time it waited for its turn included.
ARRIVED = "cupcake.arrived"
_WSGI_HEADER = "HTTP_" + DEADLINE_HEADER.upper().replace("-", "_")
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


@dataclass(frozen=True)
class Deadline:
    """A moment, on the monotonic clock, by which the current request must be answered."""

    expires_at: float
    budget: float
    clock: Clock = field(default=SYSTEM_CLOCK, compare=False, repr=False)

    @classmethod
    def after(cls, seconds: float, *, clock: Clock = SYSTEM_CLOCK) -> Deadline:
        """The deadline ``seconds`` from now on ``clock``."""
        return cls(expires_at=clock.monotonic() + seconds, budget=seconds, clock=clock)

    def remaining(self) -> float:
        """Seconds left (negative once passed)."""
        return self.expires_at - self.clock.monotonic()


_current: ContextVar[Deadline | None] = ContextVar("cupcake_deadline", default=None)


def current_deadline() -> Deadline | None:
    """The deadline of the request being served in this context, if any."""
    return _current.get()


def parse_deadline_ms(raw: str | None) -> float | None:
    """Seconds from a ``Request-Deadline-Ms`` value; None when absent or not a number."""
    if raw is None or not raw.strip().isdigit():
        return None
    return int(raw.strip()) / 1000


class DeadlineMiddleware:
    """Gives every request a deadline: the caller's, capped by ``default_seconds``."""

    def __init__(
        self, app: WsgiApp, *, default_seconds: float, clock: Clock = SYSTEM_CLOCK
    ) -> None:
        self.app = app
        self.default_seconds = default_seconds
        self.clock = clock

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Serve the request under its deadline; refuse it if the caller has none left."""
        asked = parse_deadline_ms(environ.get(_WSGI_HEADER))
        budget = self.default_seconds if asked is None else min(asked, self.default_seconds)
        # Counted from when the request arrived: the time it waited for its turn is gone too.
        arrived = environ.get(ARRIVED)
        started = self.clock.monotonic() if arrived is None else arrived
        deadline = Deadline(expires_at=started + budget, budget=budget, clock=self.clock)
        if budget <= 0 or deadline.remaining() <= 0:
            return problem_response(
                start_response,
                504,
                "the request's deadline had passed before its work could start",
                kind="deadline-exceeded",
            )
        environ["cupcake.deadline"] = deadline
        # Said back to the caller, so the budget each hop received can be seen.
        timing = ("Server-Timing", f"deadline;dur={budget * 1000:.0f}")
        token = _current.set(deadline)
        try:
            return self.app(environ, headers_added(start_response, timing))
        finally:
            _current.reset(token)
