"""Prometheus metrics of a service, right with one worker process or several.

A request only counts in memory, in a table of its own thread (no lock, no file): a
publisher thread adds what each thread counted since its last round to prometheus-client's
metrics every ``PUBLISH_SECONDS``, at exit, and right before ``/metrics`` is answered.
Under a server with several worker processes, each process counts on its own; with
``PROMETHEUS_MULTIPROC_DIR`` set (the launcher sets it, one empty folder per service
start), prometheus-client keeps every process's figures in files there and ``/metrics``
adds them up, whichever worker answers: the answering worker's figures are up to date, the
others' at most ``PUBLISH_SECONDS`` old. Without it the figures are the one process's own.
"""

from __future__ import annotations

import os
import threading
from bisect import bisect_left
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

from cupcake_chassis.metric_files import metric_files_allocated
from cupcake_chassis.periodic import Periodic
from cupcake_chassis.problems import StartResponse

MULTIPROCESS_DIR_ENV = "PROMETHEUS_MULTIPROC_DIR"
METRICS_PATH = "/metrics"
UNMATCHED_ROUTE = "<unmatched>"
PUBLISH_SECONDS = 1.0
DURATION_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
_BOUNDS = (*DURATION_BUCKETS, float("inf"))

if _folder := os.environ.get(MULTIPROCESS_DIR_ENV):
    # Made if missing: a folder not there would fail every request that counts something.
    os.makedirs(_folder, exist_ok=True)
    # A full disk must not kill the process through a mapped file (SIGBUS).
    metric_files_allocated()

REQUESTS = Counter(
    "http_requests_total", "Requests answered, by route and status", ["method", "route", "status"]
)
REQUEST_SECONDS = Histogram(
    "http_request_duration_seconds",
    "Time to answer a request, by route",
    ["method", "route"],
    buckets=DURATION_BUCKETS,
)
REQUESTS_REFUSED = Counter(
    "http_requests_refused_total",
    "Requests refused for load (503) before any work, by reason (queue_full, waited_too_long)",
    ["reason"],
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


class _Tally:
    """What one thread counted since the process started; only that thread writes it."""

    def __init__(self) -> None:
        # (counter, label values...) -> count
        self.counts: dict[tuple[Any, ...], int] = {}
        # (method, route) -> count per bucket of ``_BOUNDS``, then the sum of the seconds
        self.durations: dict[tuple[str, str], list[float]] = {}
        # What the publisher has added to prometheus-client so far (only it touches these).
        self.published_counts: dict[tuple[Any, ...], int] = {}
        self.published_durations: dict[tuple[str, str], list[float]] = {}


_tallies: list[_Tally] = []
_local = threading.local()  # .tally: the thread's own _Tally
# The last breaker state each upstream's calls saw in this process (a gauge: last wins).
_breakers: dict[str, int] = {}
_published_breakers: dict[str, int] = {}
_publish_lock = threading.Lock()


def _tally_new() -> _Tally:
    """This thread's table, made on its first count and listed for the publisher."""
    tally = _local.tally = _Tally()
    _tallies.append(tally)  # list.append is atomic
    metrics_process_start()
    return tally


def _counted(key: tuple[Any, ...]) -> None:
    try:
        counts = _local.tally.counts
    except AttributeError:
        counts = _tally_new().counts
    # Read, add, write back in one thread's own table: no other thread writes it.
    counts[key] = counts.get(key, 0) + 1


def request_count(method: str, route: str | None, status: int, seconds: float) -> None:
    """Count one answered request and its duration."""
    try:
        tally = _local.tally
    except AttributeError:
        tally = _tally_new()
    label = route or UNMATCHED_ROUTE
    key = (REQUESTS, method, label, status)
    tally.counts[key] = tally.counts.get(key, 0) + 1
    row = tally.durations.get((method, label))
    if row is None:
        row = tally.durations[(method, label)] = [0] * len(_BOUNDS) + [0.0]
    row[bisect_left(_BOUNDS, seconds)] += 1  # the first bucket whose bound is >= seconds
    row[-1] += seconds


def refusal_count(reason: str) -> None:
    """Count one request refused for load (admission control), and why."""
    _counted((REQUESTS_REFUSED, reason))


def upstream_count(upstream: str, *, outcome: str, cache: str, breaker: str) -> None:
    """Count one call to ``upstream``: its outcome, where its answer came from, the breaker."""
    _counted((UPSTREAM_CALLS, upstream, outcome))
    _counted((UPSTREAM_CACHE, upstream, cache))
    _breakers[upstream] = BREAKER_STATES.get(breaker, 0)


def _durations_publish(tally: _Tally) -> None:
    for labels, row in tally.durations.copy().items():
        now = row[:]  # a copy made while holding the GIL: counts and sum agree
        before = tally.published_durations.get(labels) or [0] * len(now)
        if now == before:
            continue
        child = REQUEST_SECONDS.labels(*labels)
        # prometheus-client's Histogram has no public call adding many observations at
        # once; ``_buckets`` (one value per bucket, not cumulative) and ``_sum`` are what
        # ``observe`` itself increments. tests/test_metrics.py checks the result.
        for index, count in enumerate(now[:-1]):
            if count != before[index]:
                child._buckets[index].inc(count - before[index])
        child._sum.inc(now[-1] - before[-1])
        tally.published_durations[labels] = now


def metrics_publish() -> None:
    """Add what every thread of this process counted since the last round to
    prometheus-client's metrics (its files, with several worker processes)."""
    with _publish_lock:
        for tally in list(_tallies):
            counts = tally.counts.copy()  # one C call: atomic with respect to the counting
            for key, count in counts.items():
                added = count - tally.published_counts.get(key, 0)
                if added:
                    key[0].labels(*(str(value) for value in key[1:])).inc(added)
            tally.published_counts = counts
            _durations_publish(tally)
        for upstream, state in _breakers.copy().items():
            if _published_breakers.get(upstream) != state:
                BREAKER_STATE.labels(upstream).set(state)
                _published_breakers[upstream] = state


def _process_exit() -> None:
    """The last round, then this worker's live gauges out of the figures."""
    metrics_publish()
    multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]


_publisher = Periodic(
    metrics_publish, interval=PUBLISH_SECONDS, name="cupcake-metrics", last=_process_exit
)


def metrics_process_start(*, interval: float | None = None) -> None:
    """With several worker processes (``PROMETHEUS_MULTIPROC_DIR``), start this process's
    publisher (every ``interval`` seconds, default ``PUBLISH_SECONDS``; once more at exit,
    after which its live gauges leave the figures). Idempotent, per process."""
    if interval is not None:
        _publisher.interval = interval
    if os.environ.get(MULTIPROCESS_DIR_ENV):
        _publisher.start()


def _forget_parent() -> None:
    """In a forked child: the parent's figures are the parent's to publish (and its lock
    may have been held by its publisher thread, which the child does not have)."""
    global _tallies, _local, _publish_lock
    _tallies, _local, _publish_lock = [], threading.local(), threading.Lock()
    _breakers.clear()
    _published_breakers.clear()


os.register_at_fork(after_in_child=_forget_parent)


def metrics_text() -> bytes:
    """Every metric in Prometheus' text format, summed over worker processes if several
    (this process's own figures published first)."""
    try:
        metrics_publish()
    except OSError:
        pass  # a full disk: the figures published before are still there to answer
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


def is_metrics_request(environ: dict[str, Any]) -> bool:
    """Whether the request asks for the metrics."""
    method = environ.get("REQUEST_METHOD")
    return bool(environ.get("PATH_INFO") == METRICS_PATH and method in ("GET", "HEAD"))
