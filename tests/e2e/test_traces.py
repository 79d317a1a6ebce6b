"""A composition's trace on a real lab: spans from the three services, nested by parent,
gathered by bodies with its peers' answers and read back from GET /api/v1/traces/{id}."""

from __future__ import annotations

import random
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import RunningLab, wait_until
from tests.e2e.traces import chain_nested

pytestmark = pytest.mark.e2e

# strawberry needs frostings' own call to toppings (its pairings' details).
COMPOSE = "/api/v1/cupcake?body=vanilla&frosting=strawberry&topping=cherry"


def composed_trace(lab: RunningLab) -> list[dict[str, Any]]:
    """Compose once in a trace of the test's own; that trace's spans as bodies kept them."""
    trace_id = f"{random.getrandbits(128):032x}"
    traceparent = f"00-{trace_id}-{random.getrandbits(64) | 1:016x}-01"
    base = lab.urls["bodies"]
    composed = httpx.get(base + COMPOSE, headers={"traceparent": traceparent}, timeout=10)
    assert composed.status_code == 200
    assert composed.headers["traceresponse"].startswith(f"00-{trace_id}-")
    answer = httpx.get(f"{base}/api/v1/traces/{trace_id}", timeout=10)
    assert answer.status_code == 200, answer.text
    spans: list[dict[str, Any]] = answer.json()["spans"]
    return spans


def test_a_composition_is_one_trace_nested_across_the_three_services(lab: RunningLab) -> None:
    seen: list[list[dict[str, Any]]] = []

    def nested() -> bool:
        # A peer's answer kept fresh in a cache asks nobody, and so has no peer span: a
        # composition is made again until one asked the whole chain.
        seen.append(composed_trace(lab))
        return chain_nested(seen[-1])

    wait_until(nested, timeout=15, interval=0.3)
    spans = seen[-1]
    frameworks = {(s["service"], s["framework"]) for s in spans if s["kind"] == "server"}
    assert frameworks == {("bodies", "Django"), ("frostings", "Flask"), ("toppings", "Pyramid")}
    for call in (s for s in spans if s["kind"] == "client"):
        assert call["cache"] in ("miss", "hit", "revalidated", "stale")
        assert call["attempts"] >= 1 and call["breaker"] == "closed"


def test_an_unknown_trace_is_a_404_problem(lab: RunningLab) -> None:
    answer = httpx.get(lab.urls["bodies"] + "/api/v1/traces/" + "e" * 32, timeout=10)
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("application/problem+json")
