"""Metrics: requests and calls counted, served at /metrics, summed over worker processes."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from cupcake_chassis.calls import Call, Failure
from cupcake_chassis.metrics import DURATION_BUCKETS, metrics_text
from cupcake_chassis.observe import call_done, call_outcome, observe_wrap, request_done
from cupcake_chassis.problems import StartResponse


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of a Prometheus text answer, by name and labels."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def sample(text: str, name: str, **labels: str) -> float:
    return samples(text).get((name, frozenset(labels.items())), 0.0)


def hello(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"hello"]


def test_metrics_are_served_and_count_requests_by_route_and_status() -> None:
    app = observe_wrap(hello)
    client = httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://s.test")
    before = client.get("/metrics").text
    request_done(method="GET", route="/api/v1/things/{slug}", path="/x", status=404, seconds=0.02)
    answer = client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain; version=")
    labels = {"method": "GET", "route": "/api/v1/things/{slug}", "status": "404"}
    counted = sample(answer.text, "http_requests_total", **labels)
    assert counted == sample(before, "http_requests_total", **labels) + 1
    bucket = {"method": "GET", "route": "/api/v1/things/{slug}", "le": "0.025"}
    assert sample(answer.text, "http_request_duration_seconds_bucket", **bucket) >= 1


def test_other_paths_reach_the_app() -> None:
    app = observe_wrap(hello)
    client = httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://s.test")
    assert client.get("/metrics/more").text == "hello"
    assert client.post("/metrics").text == "hello"


def test_unmatched_requests_share_one_route_label() -> None:
    request_done(method="GET", route=None, path="/nowhere/123", status=404, seconds=0.001)
    labels = {"method": "GET", "route": "<unmatched>", "status": "404"}
    assert sample(metrics_text().decode(), "http_requests_total", **labels) >= 1


UNREACHABLE = Failure.UNREACHABLE


def call(**fields: Any) -> Call:
    base: dict[str, Any] = {"service": "toppings", "method": "GET", "path": "/api/v1/toppings"}
    return Call(**{**base, "status": 200, "ms": 1.0, "cache": "miss", **fields})


@pytest.mark.parametrize(
    ("fields", "outcome"),
    [
        ({}, "ok"),
        ({"status": 404}, "http_4xx"),
        ({"status": 503, "error": "answered 503", "failure": Failure.ANSWERED_ERROR}, "http_5xx"),
        (
            {"status": None, "cache": "stale", "error": "ConnectError", "failure": UNREACHABLE},
            "stale",
        ),
        ({"status": None, "error": "ReadTimeout", "failure": Failure.TIMEOUT}, "timeout"),
        ({"status": None, "error": "ConnectError", "failure": UNREACHABLE}, "error"),
        ({"status": None, "failure": Failure.CIRCUIT_OPEN, "breaker": "open"}, "circuit_open"),
        ({"status": None, "failure": Failure.DEADLINE_EXHAUSTED}, "deadline_exhausted"),
    ],
)
def test_each_call_is_named_by_its_outcome(fields: dict[str, Any], outcome: str) -> None:
    assert call_outcome(call(**fields)) == outcome


def test_calls_count_outcome_cache_and_breaker_state() -> None:
    before = metrics_text().decode()
    call_done(call(cache="hit"), asked=False)
    call_done(
        call(status=None, cache="stale", failure=Failure.CIRCUIT_OPEN, breaker="open"), asked=False
    )
    after = metrics_text().decode()
    for name, labels in [
        ("upstream_calls_total", {"upstream": "toppings", "outcome": "ok"}),
        ("upstream_calls_total", {"upstream": "toppings", "outcome": "circuit_open"}),
        ("upstream_cache_total", {"upstream": "toppings", "result": "hit"}),
        ("upstream_cache_total", {"upstream": "toppings", "result": "stale"}),
    ]:
        assert sample(after, name, **labels) == sample(before, name, **labels) + 1
    assert sample(after, "circuit_breaker_state", upstream="toppings") == 2


WORKER = """
from cupcake_chassis.observe import request_done
for _ in range({count}):
    request_done(method="GET", route="/r", path="/r", status=200, seconds=0.001)
"""


def test_figures_of_several_worker_processes_are_summed(tmp_path: Path) -> None:
    env = dict(os.environ, PROMETHEUS_MULTIPROC_DIR=str(tmp_path))
    for count in (3, 4):
        code = WORKER.format(count=count)
        subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=60)
    reader = "import sys; from cupcake_chassis.metrics import metrics_text as m; " \
        "sys.stdout.write(m().decode())"  # fmt: skip
    text = subprocess.run(
        [sys.executable, "-c", reader], env=env, check=True, timeout=60, capture_output=True,
        text=True,
    ).stdout  # fmt: skip
    assert sample(text, "http_requests_total", method="GET", route="/r", status="200") == 7


def test_a_missing_folder_for_the_workers_figures_is_made(tmp_path: Path) -> None:
    folder = tmp_path / "not" / "yet"
    env = dict(os.environ, PROMETHEUS_MULTIPROC_DIR=str(folder))
    subprocess.run([sys.executable, "-c", WORKER.format(count=1)], env=env, check=True, timeout=60)
    assert list(folder.glob("counter_*.db"))


def test_counts_from_many_threads_are_all_published() -> None:
    labels = {"method": "GET", "route": "/threads", "status": "200"}
    before = sample(metrics_text().decode(), "http_requests_total", **labels)

    def count() -> None:
        for _ in range(1000):
            request_done(method="GET", route="/threads", path="/t", status=200, seconds=0.001)

    threads = [threading.Thread(target=count) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sample(metrics_text().decode(), "http_requests_total", **labels) == before + 8000


def test_published_durations_are_those_observe_would_give() -> None:
    seconds = [0.0005, 0.001, 0.003, 0.2, 0.2, 5.0]
    for value in seconds:
        request_done(method="GET", route="/durations", path="/d", status=200, seconds=value)
    expected = CollectorRegistry()
    histogram = Histogram(
        "http_request_duration_seconds", "", ["method", "route"], buckets=DURATION_BUCKETS,
        registry=expected,
    )  # fmt: skip
    for value in seconds:
        histogram.labels("GET", "/durations").observe(value)
    published = {
        key: value
        for key, value in samples(metrics_text().decode()).items()
        if ("route", "/durations") in key[1]
        and key[0].startswith("http_request_duration_seconds")
        and not key[0].endswith("_created")
    }
    wanted = {
        key: value
        for key, value in samples(generate_latest(expected).decode()).items()
        if not key[0].endswith("_created")
    }
    assert published == pytest.approx(wanted)


COUNTING_WORKER = """
import sys
from cupcake_chassis.metrics import metrics_process_start
from cupcake_chassis.observe import call_done, request_done
from cupcake_chassis.calls import Call, Failure
metrics_process_start(interval={interval})
for _ in range(3):
    request_done(method="GET", route="/r", path="/r", status=200, seconds=0.001)
call = Call(service="toppings", method="GET", path="/", status=200, ms=1.0, cache="hit")
call_done(Call(**{{**call.__dict__, "breaker": "{breaker}"}}), asked=False)
print("counted", flush=True)
sys.stdin.readline()
"""


def worker_start(
    folder: Path, *, interval: float, breaker: str = "closed"
) -> subprocess.Popen[str]:
    """A worker process that counts three requests and a call, then waits for a line."""
    env = dict(os.environ, PROMETHEUS_MULTIPROC_DIR=str(folder))
    code = COUNTING_WORKER.format(interval=interval, breaker=breaker)
    worker = subprocess.Popen(
        [sys.executable, "-c", code], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert worker.stdout is not None and worker.stdout.readline() == "counted\n"
    return worker


def worker_stop(worker: subprocess.Popen[str]) -> None:
    """Let the worker exit, as a server's worker does when it stops."""
    worker.communicate("\n", timeout=60)
    assert worker.returncode == 0


def folder_figure(monkeypatch: pytest.MonkeyPatch, folder: Path, name: str, **labels: str) -> float:
    """A figure summed over the worker processes counting in ``folder``."""
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(folder))
    return sample(metrics_text().decode(), name, **labels)


def figure_awaited(read: Callable[[], float], wanted: float, *, seconds: float = 10) -> float:
    """``read()`` once it gives ``wanted``, or its last value after ``seconds``."""
    deadline = time.monotonic() + seconds
    while (value := read()) != wanted and time.monotonic() < deadline:
        time.sleep(0.02)
    return value


REQUESTS_R = {"method": "GET", "route": "/r", "status": "200"}


def test_a_workers_counts_are_published_by_its_thread_not_by_its_requests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    worker = worker_start(tmp_path, interval=3600)
    try:
        assert folder_figure(monkeypatch, tmp_path, "http_requests_total", **REQUESTS_R) == 0
    finally:
        worker_stop(worker)
    # Published on its way out.
    assert folder_figure(monkeypatch, tmp_path, "http_requests_total", **REQUESTS_R) == 3


def test_a_running_workers_counts_appear_within_its_interval(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    worker = worker_start(tmp_path, interval=0.05)
    try:
        figure = figure_awaited(
            lambda: folder_figure(monkeypatch, tmp_path, "http_requests_total", **REQUESTS_R), 3
        )
        assert figure == 3
    finally:
        worker_stop(worker)


def test_the_breaker_gauge_is_the_worst_of_the_live_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def state() -> float:
        return folder_figure(monkeypatch, tmp_path, "circuit_breaker_state", upstream="toppings")

    opened = worker_start(tmp_path, interval=0.05, breaker="open")
    closed = worker_start(tmp_path, interval=0.05, breaker="closed")
    try:
        assert figure_awaited(state, 2) == 2
        worker_stop(opened)
        assert state() == 0
    finally:
        for worker in (opened, closed):
            if worker.returncode is None:
                worker_stop(worker)
