"""A resilient GET to one upstream service: deadline, retries, circuit breaker, cache, stale.

Layers, outermost first:

1. the deadline of the request being served bounds every attempt and is sent downstream;
2. retries (stamina) for failures worth retrying, with jittered backoff, within the deadline;
3. an RFC 9111 HTTP cache (hishel) honouring the upstream's Cache-Control and ETag, with
   its fresh answers also kept parsed in memory (``fresh``): a fresh hit costs no HTTP
   machinery, no cache lookup and no JSON parsing;
4. a circuit breaker per upstream, below the cache;
5. the network.

When all of that fails, the last good answer is served if its ``stale-if-error`` allows,
marked stale. Nothing here raises for an upstream failure: callers get an Outcome.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from typing import Any

import httpx
import stamina
from hishel import CacheOptions, SqliteStorage
from hishel.httpx import CacheTransport

from cupcake_chassis.breaker import CLOSED, HALF_OPEN, CircuitBreaker, CircuitOpen
from cupcake_chassis.calls import Call, Failure, Outcome
from cupcake_chassis.clock import SYSTEM_CLOCK, Clock, Spawn, thread_spawn
from cupcake_chassis.deadline import DEADLINE_HEADER, current_deadline
from cupcake_chassis.fresh import FreshStore
from cupcake_chassis.observe import call_done
from cupcake_chassis.span_recorder import call_span_headers, client_span_record, peer_spans_take
from cupcake_chassis.spans import SPANS_HEADER
from cupcake_chassis.stale import StaleStore
from cupcake_chassis.tracecontext import outbound_headers, span_id_new
from cupcake_chassis.transports import BreakerTransport, UpstreamFailed

_RETRYABLE = (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError, UpstreamFailed)


class DeadlineExhausted(Exception):
    """Too little of the request's deadline is left to call anyone."""


@dataclass(frozen=True)
class UpstreamPolicy:
    """How patient and how persistent to be with one upstream."""

    timeout: float = 1.0
    attempts: int = 2
    breaker_failures: int = 3
    breaker_reset: float = 2.0
    min_budget: float = 0.01
    hop_reserve: float = 0.05
    trial_timeout: float = 0.25
    backoff_initial: float = 0.01
    backoff_max: float = 0.1
    backoff_jitter: float = 0.02


def _request_path(path: str, params: dict[str, str] | None) -> str:
    return path if not params else str(httpx.URL(path, params=params))


def _cache_state(response: httpx.Response) -> str:
    caching = response.extensions.get("caching") or {}
    if caching.get("from_cache"):
        return "revalidated" if caching.get("revalidated") else "hit"
    return "miss"


@dataclass(frozen=True)
class _CallSpan:
    """The client span of one call: its id (the parent the peer is sent, the same for
    every attempt: the attempts are one call) and when it started on the wall clock."""

    span_id: str
    started_at: float


def _done(outcome: Outcome, span: _CallSpan, *, asked: bool = False) -> Outcome:
    """``outcome``, once counted, recorded as a span (and logged if the upstream was ``asked``)."""
    call_done(outcome.call, asked=asked)
    client_span_record(outcome.call, span_id=span.span_id, started_at=span.started_at)
    return outcome


def _failure(exc: BaseException) -> tuple[Failure, str]:
    """What kind of failure ``exc`` is, and its name in a word or two (``Call.error``)."""
    if isinstance(exc, CircuitOpen):
        return Failure.CIRCUIT_OPEN, "circuit open"
    if isinstance(exc, DeadlineExhausted):
        return Failure.DEADLINE_EXHAUSTED, "deadline exhausted"
    if isinstance(exc, UpstreamFailed):
        return exc.failure, str(exc)
    if isinstance(exc, httpx.TimeoutException):
        return Failure.TIMEOUT, type(exc).__name__
    return Failure.UNREACHABLE, type(exc).__name__


class ResilientUpstream:
    """GETs to one upstream service that never hang past the deadline and never raise.

    ``transport`` is the network (by default, HTTP); ``clock`` times calls and ages kept
    answers, and ``spawn`` starts the half-open trial calls in the background: tests give
    a fake network, a clock they move by hand and background work they run when they choose.
    """

    def __init__(
        self,
        name: str,
        base_url: str,
        *,
        policy: UpstreamPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        clock: Clock = SYSTEM_CLOCK,
        spawn: Spawn = thread_spawn,
    ) -> None:
        self.name = name
        self.policy = policy or UpstreamPolicy()
        self.breaker = CircuitBreaker(
            name,
            failures=self.policy.breaker_failures,
            reset_after=self.policy.breaker_reset,
            clock=clock,
        )
        self._clock = clock
        self._spawn = spawn
        self._stale = StaleStore(clock=clock)
        self._fresh = FreshStore(clock=clock)
        self._probing = threading.Lock()
        # An in-memory database per client: the cache lives and dies with the process.
        storage = SqliteStorage(connection=sqlite3.connect(":memory:", check_same_thread=False))
        network = BreakerTransport(transport or httpx.HTTPTransport(), self.breaker, clock=clock)
        self._client = httpx.Client(
            base_url=base_url.rstrip("/"),
            transport=CacheTransport(network, storage=storage, rfc=CacheOptions(shared=False)),
        )

    def get(
        self, path: str, params: dict[str, str] | None = None, *, revalidate: bool = False
    ) -> Outcome:
        """GET ``path``: the JSON answer (fresh, cached or stale), or why there is none.

        ``revalidate`` asks the upstream even when a fresh answer is cached (checks
        before a write must not trust a cache); the answer is still kept.
        """
        request_path = _request_path(path, params)
        started = self._clock.monotonic()
        span = self._span()
        if self._remaining() < self.policy.min_budget:
            exhausted = DeadlineExhausted("no time left for this call")
            return _done(self._fallback(request_path, started, exhausted, 0, None), span)
        fresh = None if revalidate else self._fresh_outcome(request_path, started)
        if fresh is not None:
            return _done(fresh, span)
        state = self.breaker.current_state
        if state != CLOSED:
            # Open: the breaker would refuse the call below the cache; refuse it here, before
            # the HTTP client and the cache lookup are paid for. Half-open: the trial call
            # goes in the background, so that no request waits on an upstream that may
            # still be stuck; this one is answered at once, as while open.
            if state == HALF_OPEN:
                self._probe_start(request_path)
            _timeout, budget_ms = self._budget()
            refused = CircuitOpen(f"circuit to {self.name} is open")
            return _done(self._fallback(request_path, started, refused, 1, budget_ms), span)
        return self._fetch(request_path, started, revalidate, span)

    def _span(self) -> _CallSpan:
        return _CallSpan(span_id_new(), self._clock.time())

    def _fetch(
        self, request_path: str, started: float, revalidate: bool, span: _CallSpan
    ) -> Outcome:
        """Ask the upstream through the cache and the breaker, retrying within the deadline."""
        attempts = 0
        budget_ms: int | None = None
        try:
            for attempt in stamina.retry_context(
                on=_RETRYABLE,
                attempts=self.policy.attempts,
                timeout=self._remaining(),
                wait_initial=self.policy.backoff_initial,
                wait_max=self.policy.backoff_max,
                wait_jitter=self.policy.backoff_jitter,
            ):
                with attempt:
                    attempts += 1
                    timeout, budget_ms = self._budget()
                    response = self._send(request_path, timeout, budget_ms, revalidate, span)
        except (httpx.HTTPError, UpstreamFailed, CircuitOpen, DeadlineExhausted) as exc:
            outcome = self._fallback(request_path, started, exc, attempts, budget_ms)
            return _done(outcome, span, asked=attempts > 0)
        answer = self._answer(request_path, response, started, attempts, budget_ms)
        return _done(answer, span, asked=True)

    def _probe_start(self, request_path: str) -> None:
        """Send the half-open trial call for ``request_path`` in the background (one at a
        time): it closes the circuit if the upstream answers, or opens it again."""
        if not self._probing.acquire(blocking=False):
            return

        def probe() -> None:
            try:
                self._fetch(request_path, self._clock.monotonic(), False, self._span())
            finally:
                self._probing.release()

        self._spawn(probe, name=f"probe-{self.name}")

    def fresh(self, path: str, params: dict[str, str] | None = None) -> Outcome | None:
        """What ``get`` would answer now from a fresh answer in memory, or None when it
        would have to ask (or refuse): never waits, so it needs no thread of its own."""
        if self._remaining() < self.policy.min_budget:
            return None
        outcome = self._fresh_outcome(_request_path(path, params), self._clock.monotonic())
        return None if outcome is None else _done(outcome, self._span())

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def _fresh_outcome(self, request_path: str, started: float) -> Outcome | None:
        fresh = self._fresh.get(request_path)
        if fresh is None:
            return None
        # What the HTTP cache would answer, without asking it: recorded as its hit was.
        data, status_code = fresh
        _timeout, budget_ms = self._budget()
        call = self._call(request_path, started, status_code, "hit", None, 1, budget_ms)
        return Outcome(call=call, status_code=status_code, data=data)

    def _remaining(self) -> float:
        deadline = current_deadline()
        if deadline is None:
            return self.policy.timeout
        return min(self.policy.timeout, deadline.remaining())

    def _budget(self) -> tuple[float, int]:
        """This attempt's timeout, and the (smaller) deadline to hand downstream in ms.

        The callee gets a little less than the caller will wait, so that it gives up,
        and answers whatever it can, while its caller is still listening.
        """
        remaining = self._remaining()
        if remaining < self.policy.min_budget:
            raise DeadlineExhausted(f"{remaining * 1000:.0f} ms left")
        if self.breaker.current_state == HALF_OPEN:
            # A trial call only asks "are you back?": a healthy upstream answers in
            # milliseconds, and the request carrying the trial should not pay a whole
            # deadline each time the upstream is still stuck.
            remaining = min(remaining, self.policy.trial_timeout)
        handed_down = remaining - max(self.policy.hop_reserve, remaining * 0.1)
        return remaining, max(0, int(handed_down * 1000))

    def _send(
        self, request_path: str, timeout: float, budget_ms: int, revalidate: bool, span: _CallSpan
    ) -> httpx.Response:
        headers = {
            DEADLINE_HEADER: str(budget_ms),
            "Accept": "application/json",
            **outbound_headers(span.span_id),
            **call_span_headers(),
        }
        if revalidate:
            headers["Cache-Control"] = "no-cache"
        response = self._client.get(request_path, headers=headers, timeout=httpx.Timeout(timeout))
        response.read()
        # A cached answer keeps the header of the trace it was first given in: only spans
        # of this request's trace are taken.
        peer_spans_take(response.headers.get(SPANS_HEADER))
        return response

    def _answer(
        self,
        request_path: str,
        response: httpx.Response,
        started: float,
        attempts: int,
        budget_ms: int | None,
    ) -> Outcome:
        try:
            data: Any = response.json()
        except ValueError:
            data = None
        if response.status_code == 200 and data is not None:
            self._stale.keep(
                request_path,
                data=data,
                status_code=response.status_code,
                cache_control=response.headers.get("cache-control", ""),
            )
            self._fresh.keep(request_path, data=data, headers=response.headers)
        return Outcome(
            call=self._call(request_path, started, response.status_code, _cache_state(response),
                            None, attempts, budget_ms),
            status_code=response.status_code,
            data=data,
        )  # fmt: skip

    def _fallback(
        self,
        request_path: str,
        started: float,
        exc: BaseException,
        attempts: int,
        budget_ms: int | None,
    ) -> Outcome:
        failed = _failure(exc)
        status = exc.status if isinstance(exc, UpstreamFailed) else None
        kept = self._stale.get(request_path)
        if kept is not None:
            data, kept_status = kept
            call = self._call(request_path, started, status, "stale", failed, attempts, budget_ms)
            return Outcome(call=call, status_code=kept_status, data=data, stale=True)
        call = self._call(request_path, started, status, "miss", failed, attempts, budget_ms)
        return Outcome(call=call, status_code=None)

    def _call(
        self,
        path: str,
        started: float,
        status: int | None,
        cache: str,
        failed: tuple[Failure, str] | None,
        attempts: int,
        budget_ms: int | None,
    ) -> Call:
        failure, error = (None, None) if failed is None else failed
        return Call(
            service=self.name,
            method="GET",
            path=path,
            status=status,
            ms=round((self._clock.monotonic() - started) * 1000, 1),
            cache=cache,
            error=error,
            failure=failure,
            attempts=attempts,
            budget_ms=budget_ms,
            breaker=self.breaker.current_state,
        )
