"""Prometheus metrics of a service, right with one worker process or several.

Under a server with several worker processes, each process counts on its own; with
``PROMETHEUS_MULTIPROC_DIR`` set (the launcher sets it, one empty folder per service
start), prometheus-client keeps every process's figures in files there and ``/metrics``
adds them up, whichever worker answers. Without it the figures are the one process's own.
"""

from __future__ import annotations

import atexit
import os
from collections.abc import Iterable
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

from cupcake_chassis.problems import StartResponse

MULTIPROCESS_DIR_ENV = "PROMETHEUS_MULTIPROC_DIR"
METRICS_PATH = "/metrics"
UNMATCHED_ROUTE = "<unmatched>"

if _folder := os.environ.get(MULTIPROCESS_DIR_ENV):
    # Made if missing: a folder not there would fail every request that counts something.
    os.makedirs(_folder, exist_ok=True)

REQUESTS = Counter(
    "http_requests_total", "Requests answered, by route and status", ["method", "route", "status"]
)
REQUEST_SECONDS = Histogram(
    "http_request_duration_seconds",
    "Time to answer a request, by route",
    ["method", "route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
)
UPSTREAM_CALLS = Counter(
    "upstream_calls_total",
    "Calls to other services, by upstream and outcome (ok, http_4xx, http_5xx, stale, "
    "circuit_open, deadline_exhausted, timeout, error)",
    ["upstream", "outcome"],
)
UPSTREAM_CACHE = Counter(
    "upstream_cache_total",
    "Answers to calls to other services by where they came from (hit, revalidated, miss, stale)",
    ["upstream", "result"],
)
BREAKER_STATE = Gauge(
    "circuit_breaker_state",
    "State of the circuit breaker to an upstream: 0 closed, 1 half-open, 2 open "
    "(the worst of the live worker processes)",
    ["upstream"],
    multiprocess_mode="livemax",
)
BREAKER_STATES = {"closed": 0, "half-open": 1, "open": 2}


def route_label(route: str | None) -> str:
    """The route's template as a label; requests that matched no route share one label."""
    return route or UNMATCHED_ROUTE


def request_count(method: str, route: str | None, status: int, seconds: float) -> None:
    """Count one answered request and its duration."""
    label = route_label(route)
    REQUESTS.labels(method, label, str(status)).inc()
    REQUEST_SECONDS.labels(method, label).observe(seconds)


def upstream_count(upstream: str, *, outcome: str, cache: str, breaker: str) -> None:
    """Count one call to ``upstream``: its outcome, where its answer came from, the breaker."""
    UPSTREAM_CALLS.labels(upstream, outcome).inc()
    UPSTREAM_CACHE.labels(upstream, cache).inc()
    BREAKER_STATE.labels(upstream).set(BREAKER_STATES.get(breaker, 0))


def metrics_text() -> bytes:
    """Every metric in Prometheus' text format, summed over worker processes if several."""
    if os.environ.get(MULTIPROCESS_DIR_ENV):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest(REGISTRY)


def metrics_answer(start_response: StartResponse) -> Iterable[bytes]:
    """The WSGI answer of ``GET /metrics``."""
    body = metrics_text()
    start_response(
        "200 OK",
        [
            ("Content-Type", CONTENT_TYPE_LATEST),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
        ],
    )
    return [body]


_exit_marked: set[int] = set()


def process_exit_mark() -> None:
    """At exit, take this worker's live gauges out of the figures (multi-process mode);
    registered once per process, however many apps it wraps."""
    pid = os.getpid()
    if os.environ.get(MULTIPROCESS_DIR_ENV) and pid not in _exit_marked:
        _exit_marked.add(pid)
        atexit.register(multiprocess.mark_process_dead, pid)


def is_metrics_request(environ: dict[str, Any]) -> bool:
    """Whether the request asks for the metrics."""
    method = environ.get("REQUEST_METHOD")
    return bool(environ.get("PATH_INFO") == METRICS_PATH and method in ("GET", "HEAD"))
