"""The spans of the request being served: its server span, its calls' client spans, and the
spans its peers returned with their answers.

The trace context middleware opens a recorder per request; the framework's request hook
names the route (``span_route_note``), the resilient client records each call
(``client_span_record``) and hands over what the peer returned (``peer_spans_take``).
When the answer starts, the server span is finished, every span goes to the process's
store, the process's own spans to the sinks (the OpenTelemetry export), and, if the
caller asked, all of them back to the caller in the ``Trace-Spans`` header.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import TYPE_CHECKING

from cupcake_chassis import spans
from cupcake_chassis.clock import Clock
from cupcake_chassis.spans import SPANS_ASK, SPANS_HEADER, Span

if TYPE_CHECKING:
    from cupcake_chassis.calls import Call
    from cupcake_chassis.tracecontext import TraceContext

_NAME_MAX = 200


class RequestSpans:
    """What one request has recorded so far (shared by the threads its calls run in)."""

    __slots__ = (
        "context", "service", "framework", "clock", "started", "started_at", "asked",
        "route", "own", "received", "server",
    )  # fmt: skip

    def __init__(
        self, context: TraceContext, *, service: str, framework: str, clock: Clock, asked: bool
    ) -> None:
        self.context = context
        self.service = service
        self.framework = framework
        self.clock = clock
        self.started = clock.monotonic()
        self.started_at = clock.time()
        self.asked = asked
        self.route: str | None = None
        self.own: list[Span] = []
        self.received: list[Span] = []
        self.server: Span | None = None

    def finish(self, *, method: str, path: str, status: int) -> Span:
        """The request's server span, recorded once with everything else of the request."""
        if self.server is not None:
            return self.server
        context = self.context
        self.server = Span(
            trace_id=context.trace_id,
            span_id=context.span_id,
            parent_id=context.parent_id,
            service=self.service,
            framework=self.framework,
            kind="server",
            name=self.route or path[:_NAME_MAX],
            method=method,
            status=status,
            start=self.started_at,
            duration_ms=round((self.clock.monotonic() - self.started) * 1000, 2),
        )
        own = [self.server, *self.own]
        spans.span_store().add([*own, *self.received])
        for sink in spans.span_sinks:
            for span in own:
                sink(span)
        return self.server

    def answer_header(self) -> tuple[str, str] | None:
        """The ``Trace-Spans`` header for the caller, when it asked (after ``finish``)."""
        if not self.asked or self.server is None:
            return None
        trace = [self.server, *self.own, *self.received]
        return SPANS_HEADER, spans.spans_encode(self.context.trace_id, trace)


_current: ContextVar[RequestSpans | None] = ContextVar("cupcake_spans", default=None)


def request_spans_open(
    context: TraceContext, *, service: str, framework: str, clock: Clock, asked: str | None
) -> tuple[RequestSpans, object]:
    """Start recording the request of ``context``; the recorder and the token to close it."""
    recorder = RequestSpans(
        context, service=service, framework=framework, clock=clock, asked=asked == SPANS_ASK
    )
    return recorder, _current.set(recorder)


def request_spans_close(token: object) -> None:
    """Stop recording the request opened with ``token``."""
    _current.reset(token)  # type: ignore[arg-type]


def span_route_note(route: str) -> None:
    """Name the current request's server span after the route it matched."""
    recorder = _current.get()
    if recorder is not None:
        recorder.route = route


def call_span_headers() -> dict[str, str]:
    """Ask the peer for its spans, when this request is recorded and gathering is on."""
    if _current.get() is None or not spans.gathering_on():
        return {}
    return {SPANS_HEADER: SPANS_ASK}


def client_span_record(call: Call, *, span_id: str, started_at: float) -> None:
    """Record ``call`` as a client span of the current request (outside one: nothing)."""
    recorder = _current.get()
    if recorder is None:
        return
    recorder.own.append(
        Span(
            trace_id=recorder.context.trace_id,
            span_id=span_id,
            parent_id=recorder.context.span_id,
            service=recorder.service,
            framework=recorder.framework,
            kind="client",
            name=call.path[:_NAME_MAX],
            method=call.method,
            status=call.status,
            start=started_at,
            duration_ms=call.ms,
            peer=call.service,
            cache=call.cache,
            attempts=call.attempts,
            breaker=call.breaker,
            budget_ms=call.budget_ms,
            error=None if call.failure is None else call.failure.value,
        )
    )


def peer_spans_take(header: str | None) -> None:
    """Keep the spans a peer returned in its ``Trace-Spans`` header with the current request's."""
    recorder = _current.get()
    if recorder is None or not header:
        return
    recorder.received.extend(spans.spans_decode(header, trace_id=recorder.context.trace_id))
