"""Observability of a real lab: one trace through three services' logs, metrics summed over
worker processes, and log lines made readable by the launcher."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.conftest import SERVICES, RunningLab, start_lab, stop_lab

pytestmark = pytest.mark.e2e

TRACE_ID = "0af7651916cd43dd8448eb211c80319c"
TRACEPARENT = f"00-{TRACE_ID}-b7ad6b7169203331-01"
COMPOSE = "/api/v1/cupcake?body=vanilla&frosting=chocolate&topping=cherry"


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLab]:
    """A lab whose services each run two worker processes."""
    running = start_lab(tmp_path_factory.mktemp("lab"), extra_env={"CUPCAKE_WORKERS": "2"})
    yield running
    assert stop_lab(running) == 0, running.output.read_text()


def log_records(lab: RunningLab, service: str) -> list[dict[str, Any]]:
    """The JSON records in a service's log file (every line the service printed)."""
    path = Path(lab.env["CUPCAKE_STATE_DIR"]) / "logs" / f"{service}.log"
    lines = path.read_text().splitlines() if path.exists() else []
    return [json.loads(line) for line in lines if line.startswith("{")]


def traced(lab: RunningLab, service: str, trace_id: str = TRACE_ID) -> list[dict[str, Any]]:
    """The records of ``service``'s log that belong to trace ``trace_id``."""
    return [r for r in log_records(lab, service) if r.get("trace_id") == trace_id]


def test_one_request_has_one_trace_id_in_all_three_services_logs(lab: RunningLab) -> None:
    for _ in range(6):
        # A new connection each: every worker process has served a composition once.
        httpx.get(lab.urls["bodies"] + COMPOSE, timeout=10)
    # Past the catalogue answers' max-age (1 s), so that every hop is asked again.
    time.sleep(1.5)
    answer = httpx.get(
        lab.urls["bodies"] + COMPOSE,
        headers={"traceparent": TRACEPARENT, "X-Request-ID": "e2e-trace-1"},
        timeout=10,
    )
    assert answer.status_code == 200
    assert answer.headers["X-Request-ID"] == "e2e-trace-1"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not all(traced(lab, s) for s in SERVICES):
        time.sleep(0.1)
    for service in SERVICES:
        records = traced(lab, service)
        assert records, f"no line of trace {TRACE_ID} in {service}'s log"
        assert {r["request_id"] for r in records} == {"e2e-trace-1"}
        assert all(r["service"] == service for r in records)
    front = [r for r in traced(lab, "bodies") if r["logger"] == "cupcake.access"]
    assert [(r["route"], r["status"]) for r in front] == [("/api/v1/cupcake", 200)]
    calls = {r["upstream"] for r in traced(lab, "bodies") if r["logger"] == "cupcake.upstream"}
    assert calls == {"frostings", "toppings"}
    # frostings asked toppings in turn, within the same trace.
    assert any(r.get("upstream") == "toppings" for r in traced(lab, "frostings"))


def metric_sample(text: str, name: str, **labels: str) -> float | None:
    """The first sample called ``name`` with these labels, None if there is none."""
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return float(sample.value)
    return None


def metric(text: str, name: str, **labels: str) -> float:
    """The first sample called ``name`` with these labels, 0 if there is none."""
    return metric_sample(text, name, **labels) or 0.0


def metric_awaited(
    url: str, name: str, wanted: Callable[[float], bool] = bool, **labels: str
) -> float | None:
    """A sample of ``url``'s ``/metrics`` once there is one and ``wanted(figure)``; else the
    last read after 10 s (worker processes publish their counts every second)."""
    deadline = time.monotonic() + 10
    while True:
        figure = metric_sample(httpx.get(f"{url}/metrics", timeout=5).text, name, **labels)
        if (figure is not None and wanted(figure)) or time.monotonic() > deadline:
            return figure
        time.sleep(0.1)


def test_metrics_count_every_request_whichever_worker_answers(lab: RunningLab) -> None:
    url = lab.urls["toppings"]
    labels = {"method": "GET", "route": "/api/v1/toppings", "status": "200"}
    before = metric(httpx.get(f"{url}/metrics", timeout=5).text, "http_requests_total", **labels)
    for _ in range(30):
        # A new connection each time, so that both worker processes take requests.
        assert httpx.get(f"{url}/api/v1/toppings", timeout=5).status_code == 200
    counted = metric_awaited(url, "http_requests_total", lambda n: n >= before + 30, **labels)
    assert counted == before + 30
    for _ in range(5):
        # Whichever worker answers, and however often: the same sum.
        text = httpx.get(f"{url}/metrics", timeout=5).text
        assert metric(text, "http_requests_total", **labels) == before + 30


def test_metrics_show_calls_cache_and_breakers(lab: RunningLab) -> None:
    url = lab.urls["bodies"]
    assert httpx.get(url + COMPOSE, timeout=10).status_code == 200
    for upstream in ("frostings", "toppings"):
        calls = metric_awaited(url, "upstream_calls_total", upstream=upstream, outcome="ok")
        assert calls and calls > 0
        closed = metric_awaited(url, "circuit_breaker_state", lambda _: True, upstream=upstream)
        assert closed == 0
    cached = metric_awaited(url, "upstream_cache_total", upstream="toppings")
    assert cached and cached > 0
    duration = metric_awaited(url, "http_request_duration_seconds_count", route="/api/v1/cupcake")
    assert duration and duration > 0


def test_the_launcher_prints_log_records_as_short_text(lab: RunningLab) -> None:
    trace_id = uuid.uuid4().hex
    traceparent = f"00-{trace_id}-b7ad6b7169203331-01"
    httpx.get(
        f"{lab.urls['frostings']}/api/v1/frostings",
        headers={"traceparent": traceparent},
        timeout=5,
    )
    # This request's own line: bodies' call lines mention "GET /api/v1/frostings 200" too.
    wanted = ("GET /api/v1/frostings 200", f"trace {trace_id[:8]}")
    deadline = time.monotonic() + 10
    lines: list[str] = []
    while time.monotonic() < deadline and not lines:
        text = lab.output.read_text()
        lines = [line for line in text.splitlines() if all(w in line for w in wanted)]
        time.sleep(0.1)
    assert lines
    assert lines[0].startswith("frostings | ")
    assert "{" not in lines[0]
