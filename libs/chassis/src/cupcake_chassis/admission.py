"""Admission control: a bounded number of requests at work, a queue before them whose wait
is bounded, and a fast refusal beyond.

A WSGI server with a pool of threads queues every request it cannot start at once, out of
the application's sight: under overload each one waits there longer than its deadline,
which starts only when the application first sees it. This middleware is where that queue
is made visible and bounded. A worker process lets ``concurrency`` requests work at once
and queues the others, first come first served, while the wait for a turn it foresees
(the requests ahead, times the recent time a request holds its place, shared among the
places) stays within ``wait`` seconds and the queue within ``queue`` requests; any other
request is answered at once with ``503`` problem+json and ``Retry-After``, before any
framework code runs. One that waited five times ``wait`` all the same (the work slowed
down while it waited) is refused then. The server is given more threads than ``concurrency +
queue`` (the launcher, the images), so that requests reach this gate as they arrive rather
than wait in the server's own queue. Health checks, readiness, metrics and the chaos
controls pass by: the answers that say how a service is must not be refused for its load.

The moment a request arrived is left in the environ (``deadline.ARRIVED``), and the
deadline middleware counts its budget from there: the time a request waited for its turn
is time its caller spent waiting too.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from cupcake_chassis import metrics
from cupcake_chassis.clock import SYSTEM_CLOCK, Clock
from cupcake_chassis.deadline import ARRIVED, WsgiApp
from cupcake_chassis.env import Environment
from cupcake_chassis.problems import PROBLEM_MEDIA_TYPE, StartResponse, problem_document

# Never refused: how the service is (probes, metrics) and the lab's fault controls.
ALWAYS_ADMITTED = ("/healthz", "/readyz", "/metrics", "/_chaos")
# What ``AdmissionGate.enter`` says: a place taken, or why not.
ADMITTED = "admitted"
QUEUE_FULL = "queue_full"
WAITED_TOO_LONG = "waited_too_long"
# How much each request's time at work moves the gate's estimate of it (a moving average),
# each counting for at most the whole wait: a peer that turned slow shortens the queue
# within a few dozen requests, one request held up by a hiccup of the machine does not.
HOLD_WEIGHT = 0.05
# A queued request gives up after this many times the foreseen wait the gate allows (half
# the front door's deadline by default): only when the work slowed down after it was
# queued, never for a hiccup.
GIVE_UP = 5


@dataclass(frozen=True)
class AdmissionPolicy:
    """How many requests a worker process lets work at once, and how many may wait for how
    long before the others are refused."""

    concurrency: int = 2
    queue: int = 64
    wait: float = 0.1
    retry_after: int = 1

    @classmethod
    def from_environment(cls, env: Environment) -> AdmissionPolicy:
        """The policy set by ``ADMISSION_CONCURRENCY``, ``ADMISSION_QUEUE`` and
        ``ADMISSION_WAIT`` (``ADMISSION_QUEUE=0``: refuse as soon as every place is taken)."""
        default = cls()
        return cls(
            concurrency=env.count("ADMISSION_CONCURRENCY", default=default.concurrency),
            queue=env.whole("ADMISSION_QUEUE", default=default.queue),
            wait=env.seconds("ADMISSION_WAIT", default=default.wait),
        )


class AdmissionGate:
    """Places for requests at work, and a first-come-first-served queue for them.

    A request leaving hands its place straight to the first one waiting, so that no late
    arrival overtakes the queue and no waiting thread wakes for nothing.
    """

    def __init__(self, *, concurrency: int, queue: int, wait: float) -> None:
        self.concurrency = concurrency
        self.queue = queue
        self.wait = wait
        self._lock = threading.Lock()
        self._at_work = 0
        self._waiting: deque[threading.Lock] = deque()
        self._hold = 0.0  # seconds a request keeps its place, lately (a moving average)

    @property
    def at_work(self) -> int:
        """Requests holding a place now."""
        return self._at_work

    @property
    def waiting(self) -> int:
        """Requests waiting for a place now."""
        return len(self._waiting)

    def foreseen_wait(self) -> float:
        """The seconds a request queued now would wait for its turn, as far as the recent
        past tells."""
        return (len(self._waiting) + 1) * self._hold / self.concurrency

    def enter(self) -> str:
        """Take a place, queueing for it if the wait looks short enough: ``ADMITTED`` (then
        ``leave`` once done), else ``QUEUE_FULL`` or ``WAITED_TOO_LONG``."""
        with self._lock:
            if self._at_work < self.concurrency:
                self._at_work += 1
                return ADMITTED
            if len(self._waiting) >= self.queue or self.foreseen_wait() > self.wait:
                return QUEUE_FULL
            turn = threading.Lock()
            turn.acquire()
            self._waiting.append(turn)
        if turn.acquire(timeout=GIVE_UP * self.wait):
            return ADMITTED  # a leaving request handed its place over
        with self._lock:
            try:
                self._waiting.remove(turn)
            except ValueError:
                return ADMITTED  # handed over just as the wait ended: the place is this one's
        return WAITED_TOO_LONG

    def leave(self, held: float) -> None:
        """Give a place back, held ``held`` seconds: to the first request waiting, if any."""
        with self._lock:
            self._hold += HOLD_WEIGHT * (min(held, self.wait) - self._hold)
            if self._waiting:
                self._waiting.popleft().release()
            else:
                self._at_work -= 1


class _Place:
    """One admitted request's place: given back once, however its answer ends."""

    def __init__(self, gate: AdmissionGate, clock: Clock) -> None:
        self._gate: AdmissionGate | None = gate
        self._clock = clock
        self._taken = clock.monotonic()

    def leave(self) -> None:
        gate, self._gate = self._gate, None
        if gate is not None:
            gate.leave(self._clock.monotonic() - self._taken)


class _LeavingBody:
    """An answer's body that gives its place back once sent (closed or exhausted, whichever
    comes first), or when dropped, should a server neither close nor exhaust it."""

    def __init__(self, inner: Iterable[bytes], place: _Place) -> None:
        self._inner = inner
        self._place = place

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self._inner
        finally:
            self._place.leave()

    def close(self) -> None:
        try:
            close = getattr(self._inner, "close", None)
            if close is not None:
                close()
        finally:
            self._place.leave()

    def __del__(self) -> None:
        self._place.leave()


class AdmissionMiddleware:
    """Lets a bounded number of requests work at once and queue; refuses the others at once
    with ``503`` and ``Retry-After`` (see the module's docstring)."""

    def __init__(
        self,
        app: WsgiApp,
        *,
        policy: AdmissionPolicy,
        always_admitted: Iterable[str] = ALWAYS_ADMITTED,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.app = app
        self.policy = policy
        self.gate = AdmissionGate(
            concurrency=policy.concurrency, queue=policy.queue, wait=policy.wait
        )
        self.always_admitted = frozenset(always_admitted)
        self.clock = clock
        # Made once: a refusal must cost next to nothing, it is what overload is made of.
        self._refusal = json.dumps(
            problem_document(
                status=503,
                detail="the service is answering all the requests it can; "
                f"try again in {policy.retry_after} s",
                kind="overloaded",
            )
        ).encode()
        self._refusal_headers = (
            ("Content-Type", PROBLEM_MEDIA_TYPE),
            ("Content-Length", str(len(self._refusal))),
            ("Cache-Control", "no-store"),
            ("Retry-After", str(policy.retry_after)),
        )

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Serve the request if it gets a place in time, else refuse it at once."""
        if environ.get("PATH_INFO") in self.always_admitted:
            return self.app(environ, start_response)
        environ[ARRIVED] = self.clock.monotonic()
        verdict = self.gate.enter()
        if verdict != ADMITTED:
            metrics.refusal_count(verdict)
            start_response("503 Service Unavailable", list(self._refusal_headers))
            return [self._refusal]
        place = _Place(self.gate, self.clock)
        try:
            answer = self.app(environ, start_response)
        except BaseException:
            place.leave()
            raise
        if isinstance(answer, list):  # the body is made: the work is done
            place.leave()
            return answer
        return _LeavingBody(answer, place)


def admission_wrap(
    app: WsgiApp, *, policy: AdmissionPolicy, clock: Clock = SYSTEM_CLOCK
) -> WsgiApp:
    """``app`` behind admission control with ``policy`` (see ``AdmissionMiddleware``)."""
    return AdmissionMiddleware(app, policy=policy, clock=clock)
