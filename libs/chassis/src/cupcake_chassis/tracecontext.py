"""W3C trace context and a request id, started at the front door and passed on at every hop.

A request arriving with a valid ``traceparent`` continues that trace; one without starts a
new trace. Either way it gets a span id of its own, and its outbound calls carry the same
trace id with a new span id each. ``X-Request-ID`` is kept when the caller sent a sane one,
else made here, passed downstream, and said back in the answer. Log lines carry both ids, so
one request can be followed through every service's log.

When OpenTelemetry tracing is on (``cupcake_chassis.otel``), its spans are the truth: the
ids logged and sent are those of the current OpenTelemetry span.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from cupcake_chassis.deadline import WsgiApp
from cupcake_chassis.problems import StartResponse, headers_added

TRACEPARENT = "traceparent"
REQUEST_ID_HEADER = "X-Request-ID"
_TRACEPARENT = re.compile(r"^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_SAMPLED = 0x01


@dataclass(frozen=True)
class TraceContext:
    """The trace this request belongs to, its own span, and its request id."""

    trace_id: str
    span_id: str
    sampled: bool
    request_id: str

    def child_traceparent(self) -> str:
        """A ``traceparent`` for one outbound call: this trace, a new span."""
        flags = "01" if self.sampled else "00"
        return f"00-{self.trace_id}-{_random_hex(64)}-{flags}"


def _random_hex(bits: int) -> str:
    """A random id of ``bits`` bits in lower-case hex, never all zeros.

    Ids need to be unique, not secret: the process's PRNG (as OpenTelemetry's own id
    generator uses) costs no system call, unlike ``secrets`` or ``uuid4``.
    """
    value = 0
    while not value:
        value = random.getrandbits(bits)
    return f"{value:0{bits // 4}x}"


def traceparent_parse(value: str | None) -> tuple[str, str, bool] | None:
    """``(trace_id, parent_span_id, sampled)`` of a valid W3C ``traceparent``, else None."""
    if not value:
        return None
    match = _TRACEPARENT.match(value.strip())
    if match is None:
        return None
    version, trace_id, parent_id, flags, rest = match.groups()
    # Version ff is forbidden; version 00 has exactly four fields; ids of zeros are invalid.
    if version == "ff" or (version == "00" and rest) or not int(trace_id, 16):
        return None
    if not int(parent_id, 16):
        return None
    return trace_id, parent_id, bool(int(flags, 16) & _SAMPLED)


def request_id_accept(value: str | None) -> str:
    """The caller's request id when it is short and plain, else a new one."""
    if value and _REQUEST_ID.match(value):
        return value
    return _random_hex(128)


def trace_context_start(traceparent: str | None, request_id: str | None) -> TraceContext:
    """The context of a request that arrived with these headers (absent: None)."""
    parsed = traceparent_parse(traceparent)
    trace_id, sampled = (parsed[0], parsed[2]) if parsed else (_random_hex(128), True)
    return TraceContext(
        trace_id=trace_id,
        span_id=_random_hex(64),
        sampled=sampled,
        request_id=request_id_accept(request_id),
    )


_current: ContextVar[TraceContext | None] = ContextVar("cupcake_trace", default=None)

# Set by ``cupcake_chassis.otel`` when OpenTelemetry tracing is on: the current span's
# (trace id, span id), or None outside any span.
otel_ids: Callable[[], tuple[str, str] | None] | None = None


def current_trace() -> TraceContext | None:
    """The trace context of the request being served in this context, if any."""
    return _current.get()


def current_ids() -> dict[str, str]:
    """The ids to log now: request id, trace id and span id (empty outside a request)."""
    context = _current.get()
    ids = {} if context is None else {
        "request_id": context.request_id,
        "trace_id": context.trace_id,
        "span_id": context.span_id,
    }  # fmt: skip
    if otel_ids is not None and (span := otel_ids()) is not None:
        ids["trace_id"], ids["span_id"] = span
    return ids


def outbound_headers() -> dict[str, str]:
    """Headers that carry this request's trace and request id to the next service."""
    context = _current.get()
    if context is None:
        return {}
    # With OpenTelemetry on, its httpx instrumentation writes traceparent for its own span.
    return {
        TRACEPARENT: context.child_traceparent(),
        REQUEST_ID_HEADER: context.request_id,
    }


class TraceContextMiddleware:
    """Starts each request's trace context and says its request id back in the answer."""

    def __init__(self, app: WsgiApp) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Serve the request inside its trace context."""
        context = trace_context_start(
            environ.get("HTTP_TRACEPARENT"), environ.get("HTTP_X_REQUEST_ID")
        )
        environ["cupcake.trace"] = context
        said_back = (REQUEST_ID_HEADER, context.request_id)
        token = _current.set(context)
        try:
            return self.app(environ, headers_added(start_response, said_back))
        finally:
            _current.reset(token)
