"""Metrics: requests and calls counted, served at /metrics, summed over worker processes."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from cupcake_chassis.calls import Call
from cupcake_chassis.metrics import metrics_text
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


def call(**fields: Any) -> Call:
    base: dict[str, Any] = {"service": "toppings", "method": "GET", "path": "/api/v1/toppings"}
    return Call(**{**base, "status": 200, "ms": 1.0, "cache": "miss", **fields})


@pytest.mark.parametrize(
    ("fields", "outcome"),
    [
        ({}, "ok"),
        ({"status": 404}, "http_4xx"),
        ({"status": 503, "error": "HTTP 503"}, "http_5xx"),
        ({"status": None, "cache": "stale", "error": "ConnectError"}, "stale"),
        ({"status": None, "error": "ReadTimeout"}, "timeout"),
        ({"status": None, "error": "ConnectError"}, "error"),
        ({"status": None, "error": "circuit open", "breaker": "open"}, "circuit_open"),
        ({"status": None, "error": "deadline exhausted"}, "deadline_exhausted"),
    ],
)
def test_each_call_is_named_by_its_outcome(fields: dict[str, Any], outcome: str) -> None:
    assert call_outcome(call(**fields)) == outcome


def test_calls_count_outcome_cache_and_breaker_state() -> None:
    before = metrics_text().decode()
    call_done(call(cache="hit"), asked=False)
    call_done(call(status=None, cache="stale", error="circuit open", breaker="open"), asked=False)
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
