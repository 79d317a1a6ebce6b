"""W3C trace context and a request id, started at the front door and passed on at every hop.

A request arriving with a valid ``traceparent`` continues that trace; one without starts a
new trace. Either way it gets a span id of its own, and its outbound calls carry the same
trace id with a new span id each. ``X-Request-ID`` is kept when the caller sent a sane one,
else made here, passed downstream, and said back in the answer. Log lines carry both ids, so
one request can be followed through every service's log.

The request's own span id is its server span's (``cupcake_chassis.spans``), and the span id
sent with a call is that call's client span's: the ids logged, sent and exported are one.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from contextvars import ContextVar
from typing import Any, NamedTuple

from cupcake_chassis.clock import SYSTEM_CLOCK, Clock
from cupcake_chassis.deadline import WsgiApp
from cupcake_chassis.problems import StartResponse
from cupcake_chassis.span_recorder import request_spans_close, request_spans_open

TRACEPARENT = "traceparent"
REQUEST_ID_HEADER = "X-Request-ID"
TRACERESPONSE = "traceresponse"
_TRACEPARENT = re.compile(r"^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_SAMPLED = 0x01


class TraceContext(NamedTuple):
    """The trace this request belongs to, its own span, and its request id.

    A named tuple, not a frozen dataclass: made once per request, it costs a third as much.
    """

    trace_id: str
    span_id: str
    sampled: bool
    request_id: str
    parent_id: str | None = None  # the caller's span, when it sent a traceparent

    def child_traceparent(self, span_id: str | None = None) -> str:
        """A ``traceparent`` for one outbound call: this trace, the call's span (new if None)."""
        flags = "01" if self.sampled else "00"
        return f"00-{self.trace_id}-{span_id or span_id_new()}-{flags}"


def span_id_new() -> str:
    """A new span id (16 hex digits)."""
    return _random_hex(64)


def _random_hex(bits: int) -> str:
    """A random id of ``bits`` bits (a multiple of 8) in lower-case hex, never all zeros.

    Ids need to be unique, not secret: the process's PRNG (as OpenTelemetry's own id
    generator uses) costs no system call, unlike ``secrets`` or ``uuid4``.
    """
    value = 0
    while not value:
        value = random.getrandbits(bits)
    return value.to_bytes(bits // 8, "big").hex()


# One draw of the PRNG for the three ids a new request may need (trace, span, request id).
_ID_DIGITS = (32, 16, 32)
_ID_BITS = 4 * sum(_ID_DIGITS)
_ZEROS = "0" * max(_ID_DIGITS)


def _random_ids() -> tuple[str, str, str]:
    """A new trace id (32 hex digits), span id (16) and request id (32), none all zeros."""
    digits = random.getrandbits(_ID_BITS).to_bytes(_ID_BITS // 8, "big").hex()
    trace_id, span_id, request_id = digits[:32], digits[32:48], digits[48:]
    if trace_id == _ZEROS or span_id == _ZEROS[:16] or request_id == _ZEROS:
        return _random_ids()  # about once in 2**64 draws
    return trace_id, span_id, request_id


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
    new_trace_id, span_id, new_request_id = _random_ids()
    parsed = traceparent_parse(traceparent)
    if parsed is None:
        trace_id, parent_id, sampled = new_trace_id, None, True
    else:
        trace_id, parent_id, sampled = parsed
    if not (request_id and _REQUEST_ID.match(request_id)):
        request_id = new_request_id
    return TraceContext(trace_id, span_id, sampled, request_id, parent_id)


_current: ContextVar[TraceContext | None] = ContextVar("cupcake_trace", default=None)


def current_ids() -> dict[str, str]:
    """The ids to log now: request id, trace id and span id (empty outside a request)."""
    context = _current.get()
    ids = {} if context is None else {
        "request_id": context.request_id,
        "trace_id": context.trace_id,
        "span_id": context.span_id,
    }  # fmt: skip
    return ids


def outbound_headers(span_id: str | None = None) -> dict[str, str]:
    """Headers that carry this request's trace and request id to the next service, the
    call being span ``span_id`` (a new one if None)."""
    context = _current.get()
    if context is None:
        return {}
    return {
        TRACEPARENT: context.child_traceparent(span_id),
        REQUEST_ID_HEADER: context.request_id,
    }


class TraceContextMiddleware:
    """Starts each request's trace context and span recorder; says its request id and
    ``traceresponse`` back, and its spans when the caller asked (``Trace-Spans: ask``).

    ``service`` and ``framework`` name the spans; ``clock`` times them.
    """

    def __init__(
        self,
        app: WsgiApp,
        *,
        service: str = "service",
        framework: str = "wsgi",
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.app = app
        self.service = service
        self.framework = framework
        self.clock = clock

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Serve the request inside its trace context, recording its spans."""
        context = trace_context_start(
            environ.get("HTTP_TRACEPARENT"), environ.get("HTTP_X_REQUEST_ID")
        )
        environ["cupcake.trace"] = context
        recorder, spans_token = request_spans_open(
            context,
            service=self.service,
            framework=self.framework,
            clock=self.clock,
            asked=environ.get("HTTP_TRACE_SPANS"),
        )
        flags = "01" if context.sampled else "00"
        said_back = [
            (REQUEST_ID_HEADER, context.request_id),
            (TRACERESPONSE, f"00-{context.trace_id}-{context.span_id}-{flags}"),
        ]
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "") or "/"

        def start(status: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
            recorder.finish(method=method, path=path, status=_status_code(status))
            spans_header = recorder.answer_header()
            extra = said_back if spans_header is None else [*said_back, spans_header]
            return start_response(status, [*headers, *extra], *exc)

        token = _current.set(context)
        try:
            return self.app(environ, start)
        finally:
            _current.reset(token)
            request_spans_close(spans_token)


def _status_code(status: str) -> int:
    code = status[:3]
    return int(code) if code.isdigit() else 500
