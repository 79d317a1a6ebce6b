"""What every service reports about its work: a log line and metrics per request and per call.

``observe_wrap`` puts a service's WSGI app inside its trace context and answers
``GET /metrics``; each framework's own request hook calls ``request_done`` once a request is
answered (only the framework knows the route it matched); the resilient client calls
``call_done`` for each call to another service.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from cupcake_chassis import metrics
from cupcake_chassis.calls import Call, Failure
from cupcake_chassis.clock import SYSTEM_CLOCK, Clock
from cupcake_chassis.deadline import WsgiApp
from cupcake_chassis.logs import line_log
from cupcake_chassis.problems import StartResponse
from cupcake_chassis.span_recorder import span_route_note
from cupcake_chassis.tracecontext import TraceContextMiddleware

access_log = logging.getLogger("cupcake.access")
call_log = logging.getLogger("cupcake.upstream")


def observe_wrap(
    app: WsgiApp,
    *,
    service: str = "service",
    framework: str = "wsgi",
    clock: Clock = SYSTEM_CLOCK,
) -> WsgiApp:
    """``app`` inside its requests' trace context, recording their spans as ``service``
    on ``framework`` (timed on ``clock``), with ``GET /metrics`` answered first."""
    traced = TraceContextMiddleware(app, service=service, framework=framework, clock=clock)
    metrics.metrics_process_start()

    def observed(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if metrics.is_metrics_request(environ):
            return metrics.metrics_answer(start_response)
        return traced(environ, start_response)

    return observed


def request_done(*, method: str, route: str | None, path: str, status: int, seconds: float) -> None:
    """Log and count one answered request. ``path`` must hold no secret (no query string)."""
    label = route or metrics.UNMATCHED_ROUTE
    if route:
        span_route_note(route)
    metrics.request_count(method, label, status, seconds)
    ms = seconds * 1000
    line_log(
        access_log,
        logging.INFO,
        "%s %s %d %.1fms",
        (method, path, status, ms),
        {
            "method": method,
            "route": label,
            "path": path,
            "status": status,
            "duration_ms": round(ms, 2),
        },
    )


def call_outcome(call: Call) -> str:
    """One word for how a call to another service ended, for the metrics."""
    if call.failure is Failure.CIRCUIT_OPEN or call.failure is Failure.DEADLINE_EXHAUSTED:
        return call.failure.value
    if call.cache == "stale":
        return "stale"
    if call.status is None:
        return "timeout" if call.failure == Failure.TIMEOUT else "error"
    if call.status >= 500:
        return "http_5xx"
    if call.status >= 400:
        return "http_4xx"
    return "ok"


def call_done(call: Call, *, asked: bool) -> None:
    """Count one call to another service; log it when it was ``asked`` of the upstream's
    HTTP stack (an answer kept in memory, or refused by an open circuit, is only counted:
    a busy front door makes thousands of those a second)."""
    outcome = call_outcome(call)
    metrics.upstream_count(call.service, outcome=outcome, cache=call.cache, breaker=call.breaker)
    if not asked:
        return
    level = logging.INFO if outcome == "ok" else logging.WARNING
    line_log(
        call_log,
        level,
        "%s %s %s %s %.1fms",
        (
            call.service,
            call.method,
            call.path,
            call.status if call.status is not None else call.error,
            call.ms,
        ),
        {
            "upstream": call.service,
            "method": call.method,
            "path": call.path,
            "status": call.status,
            "outcome": outcome,
            "cache": call.cache,
            "breaker": call.breaker,
            "attempts": call.attempts,
            "error": call.error,
            "duration_ms": call.ms,
        },
    )
