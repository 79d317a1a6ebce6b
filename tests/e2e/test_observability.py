"""Observability of a real lab: one trace through three services' logs, metrics summed over
worker processes, and log lines made readable by the launcher."""

from __future__ import annotations

import itertools
import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.conftest import SERVICES, RunningLab, start_lab, stop_lab, wait_until

pytestmark = pytest.mark.e2e

COMPOSE = "/api/v1/cupcake?body=vanilla&frosting=chocolate&topping=cherry"
# How long a log line or a metric may take to appear after its request: lines are written
# and figures published off the request path, and the machine may be busy.
SEEN_WITHIN = 15.0


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLab]:
    """A lab whose services each run two worker processes."""
    running = start_lab(tmp_path_factory.mktemp("lab"), extra_env={"CUPCAKE_WORKERS": "2"})
    yield running
    assert stop_lab(running) == 0, running.output.read_text()


def whole_lines(path: Path) -> list[str]:
    """The lines of a file another process is appending to, but for a last one not yet
    finished (read as it is being written)."""
    written = path.read_bytes() if path.exists() else b""
    return [line.decode() for line in written.split(b"\n")[:-1]]


def log_records(lab: RunningLab, service: str) -> list[dict[str, Any]]:
    """The JSON records in a service's log file (every line the service printed)."""
    path = Path(lab.env["CUPCAKE_STATE_DIR"]) / "logs" / f"{service}.log"
    return [json.loads(line) for line in whole_lines(path) if line.startswith("{")]


def traced(lab: RunningLab, service: str, trace_id: str) -> list[dict[str, Any]]:
    """The records of trace ``trace_id`` in a service's log."""
    return [r for r in log_records(lab, service) if r.get("trace_id") == trace_id]


def access_lines(lab: RunningLab, service: str, trace_id: str) -> int:
    """How many requests of trace ``trace_id`` a service's log says it answered."""
    return sum(r["logger"] == "cupcake.access" for r in traced(lab, service, trace_id))


def trace_new() -> tuple[str, str]:
    """A trace id no other request of the lab has, and a traceparent header that starts it."""
    trace_id = uuid.uuid4().hex
    return trace_id, f"00-{trace_id}-b7ad6b7169203331-01"


def asked(calls: list[dict[str, Any]]) -> list[str]:
    """The peers a composition's calls asked (a fresh answer in memory asks nobody)."""
    return [call["service"] for call in calls if call["cache"] != "hit"]


def compose_traced(lab: RunningLab, request_id: str) -> tuple[str, list[str]]:
    """Compose in a new trace, with ``request_id``; the trace id and the peers asked."""
    trace_id, traceparent = trace_new()
    answer = httpx.get(
        lab.urls["bodies"] + COMPOSE,
        headers={"traceparent": traceparent, "X-Request-ID": request_id},
        timeout=10,
    )
    assert answer.status_code == 200
    assert answer.headers["X-Request-ID"] == request_id
    return trace_id, asked(answer.json()["calls"])


def frostings_asked_toppings(lab: RunningLab, trace_id: str, *, requests: int) -> bool:
    """Whether frostings, serving ``requests`` requests of the trace, asked toppings.

    frostings writes the access line of a request after any call it made for it: once the
    access lines are all in its log, whether it asked toppings is known.
    """
    wait_until(lambda: access_lines(lab, "frostings", trace_id) >= requests, timeout=SEEN_WITHIN)
    # A call answered by the HTTP cache's own fresh copy is logged too, without asking.
    return any(
        r.get("upstream") == "toppings" and r["cache"] != "hit"
        for r in traced(lab, "frostings", trace_id)
    )


def composition_through_every_hop(lab: RunningLab) -> tuple[str, str]:
    """Compose, each time in a new trace, until the assembler asked both peers and frostings
    asked toppings in turn; that trace's id and request id.

    A hop answered from a fresh cached answer asks nobody, for up to its max-age, so this
    waits for the caches to expire (bounded by time), not for a count of compositions.
    """
    ends = time.monotonic() + 30
    for attempt in itertools.count():
        assert time.monotonic() < ends, "no composition went through every hop within 30 s"
        request_id = f"e2e-trace-{attempt}"
        trace_id, peers = compose_traced(lab, request_id)
        if (
            "frostings" in peers
            and "toppings" in peers
            and frostings_asked_toppings(lab, trace_id, requests=peers.count("frostings"))
        ):
            return trace_id, request_id
        time.sleep(0.1)
    raise AssertionError("unreachable: the loop above returns or fails")


def test_one_request_has_one_trace_id_in_all_three_services_logs(lab: RunningLab) -> None:
    trace_id, request_id = composition_through_every_hop(lab)
    # Every line of the trace written: a service writes its access line for a request after
    # the lines of its calls; toppings answered the assembler and frostings.
    wait_until(
        lambda: (
            access_lines(lab, "bodies", trace_id) >= 1
            and access_lines(lab, "toppings", trace_id) >= 2
        ),
        timeout=SEEN_WITHIN,
    )
    for service in SERVICES:
        records = traced(lab, service, trace_id)
        assert records, f"no line of trace {trace_id} in {service}'s log"
        assert {r["request_id"] for r in records} == {request_id}
        assert all(r["service"] == service for r in records)
    front = [r for r in traced(lab, "bodies", trace_id) if r["logger"] == "cupcake.access"]
    assert [(r["route"], r["status"]) for r in front] == [("/api/v1/cupcake", 200)]
    calls = {
        r["upstream"] for r in traced(lab, "bodies", trace_id) if r["logger"] == "cupcake.upstream"
    }
    assert calls == {"frostings", "toppings"}
    # frostings asked toppings in turn, within the same trace.
    assert any(r.get("upstream") == "toppings" for r in traced(lab, "frostings", trace_id))


def metric(text: str, name: str, **labels: str) -> float:
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return float(sample.value)
    return 0.0


def metrics_text(lab: RunningLab, service: str) -> str:
    """A service's /metrics, asked on a new connection (any of its workers may answer)."""
    return httpx.get(f"{lab.urls[service]}/metrics", timeout=5).text


def test_metrics_count_every_request_whichever_worker_answers(lab: RunningLab) -> None:
    # A topping's detail: a read nothing else in this lab makes (compositions read the list),
    # so that no figure of earlier requests is still on its way into the count.
    labels = {"method": "GET", "route": "/api/v1/toppings/{slug}", "status": "200"}
    before = metric(metrics_text(lab, "toppings"), "http_requests_total", **labels)
    for _ in range(30):
        # A new connection each time, so that both worker processes take requests.
        answer = httpx.get(f"{lab.urls['toppings']}/api/v1/toppings/cherry", timeout=5)
        assert answer.status_code == 200

    def counted() -> float:
        return metric(metrics_text(lab, "toppings"), "http_requests_total", **labels)

    # Each worker publishes its figures a moment after it counted them: wait for the sum,
    # then every worker that answers /metrics gives that same sum, no more.
    wait_until(lambda: counted() >= before + 30, timeout=SEEN_WITHIN)
    for _ in range(5):
        assert counted() == before + 30


def test_metrics_show_calls_cache_and_breakers(lab: RunningLab) -> None:
    assert httpx.get(lab.urls["bodies"] + COMPOSE, timeout=10).status_code == 200

    def shown(text: str) -> bool:
        """Whether the composition's figures are in ``text`` (published a moment later)."""
        return (
            all(
                metric(text, "upstream_calls_total", upstream=upstream, outcome="ok") > 0
                for upstream in ("frostings", "toppings")
            )
            and metric(text, "upstream_cache_total", upstream="toppings") > 0
            and metric(text, "http_request_duration_seconds_count", route="/api/v1/cupcake") > 0
        )

    wait_until(lambda: shown(metrics_text(lab, "bodies")), timeout=SEEN_WITHIN)
    text = metrics_text(lab, "bodies")
    assert shown(text)
    for upstream in ("frostings", "toppings"):
        assert metric(text, "circuit_breaker_state", upstream=upstream) == 0


def test_the_launcher_prints_log_records_as_short_text(lab: RunningLab) -> None:
    # In a trace of its own: the lab's output holds other requests' lines too, some of them
    # saying the same (the assembler's own line for its call to frostings).
    trace_id, traceparent = trace_new()
    answer = httpx.get(
        f"{lab.urls['frostings']}/api/v1/frostings", headers={"traceparent": traceparent}, timeout=5
    )
    assert answer.status_code == 200

    def lines() -> list[str]:
        return [
            line
            for line in whole_lines(lab.output)
            if "GET /api/v1/frostings 200" in line and f"trace {trace_id[:8]}" in line
        ]

    wait_until(lines, timeout=SEEN_WITHIN)
    assert len(lines()) == 1, lines()
    assert lines()[0].startswith("frostings | ")
    assert "{" not in lines()[0]
