"""The assembler's resilience through the real app: Server-Timing, the circuit breaker, stale
answers while baking, and the chassis' front door (deadline, chaos) around Django."""

import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from django.core.wsgi import get_wsgi_application
from django.test import Client
from pytest_django import Settings

from bodies.config.wsgi import chassis_wrap
from cupcake_chassis.chaos import ChaosSettings, chaos_file_for
from cupcake_testing.clock import ManualClock
from fakes import CHAOS_TOKEN, FakePeers
from integration.helpers import bake, problem_of, stored_counts

pytestmark = pytest.mark.integration

FULL = "/api/v1/cupcake?body=vanilla&frosting=strawberry&topping=cherry"
FrontDoor = Callable[[], httpx.Client]
METRIC = re.compile(
    r'(?P<name>[A-Za-z0-9!#$%&\'*+.^_`|~-]+)(?:;dur=(?P<dur>\d+(?:\.\d+)?))?(?:;desc="(?P<desc>[^"]*)")?'
)


def server_timing(header: str) -> list[dict[str, str]]:
    """The metrics of a Server-Timing header; AssertionError if any is malformed."""
    metrics = []
    for text in re.split(r",\s*", header):
        match = METRIC.fullmatch(text)
        assert match, f"malformed Server-Timing metric {text!r} in {header!r}"
        metrics.append(match.groupdict())
    return metrics


def test_a_composition_says_each_calls_time_in_server_timing(
    client: Client, fake_peers: FakePeers
) -> None:
    response = client.get(FULL)

    metrics = server_timing(response["Server-Timing"])
    calls = response.json()["calls"]
    names = ["frostings-1", "frostings-2", "toppings-1", "cache", "total"]
    assert [m["name"] for m in metrics] == names
    assert [m["desc"] for m in metrics[:3]] == [
        f"GET {call['path']} ({call['cache']})" for call in calls
    ]
    assert [float(m["dur"]) for m in metrics[:3]] == [call["ms"] for call in calls]
    caches = Counter(call["cache"] for call in calls)
    assert metrics[3]["desc"] == ", ".join(f"{c} {n}" for c, n in sorted(caches.items()))
    assert metrics[3]["dur"] is None
    assert metrics[-1]["desc"] is None
    assert float(metrics[-1]["dur"]) >= max(call["ms"] for call in calls)


def test_a_composition_with_a_peer_down_still_has_server_timing(
    client: Client, fake_peers: FakePeers
) -> None:
    fake_peers.set("frostings", "down")

    metrics = server_timing(client.get("/api/v1/cupcake?body=vanilla")["Server-Timing"])

    assert [m["name"] for m in metrics] == ["frostings-1", "toppings-1", "cache", "total"]


def test_the_calls_carry_the_chassis_record(client: Client, fake_peers: FakePeers) -> None:
    call = client.get("/api/v1/cupcake").json()["calls"][0]

    assert set(call) == {
        "service", "method", "path", "status", "ms", "cache", "error", "failure",
        "attempts", "budget_ms", "breaker",
    }  # fmt: skip
    assert (call["error"], call["failure"]) == (None, None)
    # The peer is told a little less than the call may wait (1 s at the front door).
    assert (call["attempts"], call["budget_ms"], call["breaker"]) == (1, 900, "closed")


def test_toppings_failing_again_and_again_opens_its_circuit(
    client: Client, fake_peers: FakePeers, settings: Settings
) -> None:
    assert (settings.UPSTREAM_ATTEMPTS, settings.BREAKER_FAILURES) == (2, 3)
    fake_peers.set("toppings", "error")
    client.get("/api/v1/cupcake?body=vanilla")
    client.get("/api/v1/cupcake?body=vanilla")
    asked = len(fake_peers.requests)

    composition = client.get("/api/v1/cupcake?body=vanilla").json()

    assert [r for r in fake_peers.requests[asked:] if r.startswith("toppings")] == []
    assert composition["services"]["toppings"] == {
        "status": "unavailable",
        "framework": "Pyramid",
        "url": "http://toppings.test",
        "detail": "toppings is not being asked for now (circuit open after repeated failures)",
    }
    last = composition["calls"][-1]
    assert (last["breaker"], last["failure"], last["error"]) == (
        "open",
        "circuit_open",
        "circuit open",
    )
    assert composition["services"]["frostings"]["status"] == "ok"


@pytest.mark.parametrize("owner", ["frostings", "toppings"])
def test_a_bake_never_trusts_a_stale_answer(
    client: Client, fake_peers: FakePeers, owner: str
) -> None:
    fake_peers.cache_control = "max-age=0, stale-if-error=60"
    assert client.get(FULL).status_code == 200
    assert bake(client).status_code == 201
    fake_peers.set(owner, "down")
    before = stored_counts()

    response = bake(client, key="after-the-fall")

    problem = problem_of(response, 503)
    assert response["Retry-After"] == "5"
    assert problem["detail"] == (
        f"{owner} could not be reached (ConnectError); nothing was baked, try again"
    )
    assert stored_counts() == before
    # The page says the owner is unavailable: it cannot be reached, cached copy or not.
    composition = client.get(FULL).json()
    assert composition["services"][owner]["status"] == "unavailable"


def test_a_bake_checks_the_rules_with_their_owner_not_with_the_cache(
    client: Client, fake_peers: FakePeers
) -> None:
    fake_peers.cache_control = "public, max-age=60"
    assert bake(client).status_code == 201
    # The rules change at their owner; a cached answer would still allow the cupcake.
    fake_peers.frosting_change("strawberry", toppings=["flag"])
    before = stored_counts()

    problem = problem_of(bake(client), 422)

    assert problem["rule"] == "topping-not-on-frosting"
    assert stored_counts() == before
    asked = [r for r in fake_peers.requests if r == "frostings /api/v1/frostings/strawberry"]
    assert len(asked) == 2


@pytest.fixture
def front_door(database: None, fake_peers: FakePeers, clock: ManualClock) -> Iterator[FrontDoor]:
    """An HTTP client of the app as granian serves it: Django inside the chassis' middleware.

    Built after the test has changed its settings (the chassis reads them when wrapping).
    """
    clients: list[httpx.Client] = []

    def build() -> httpx.Client:
        app = chassis_wrap(get_wsgi_application(), clock=clock)
        clients.append(
            httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://localhost")
        )
        return clients[-1]

    yield build
    for built in clients:
        built.close()


def test_the_front_doors_deadline_bounds_a_composition_with_a_stalled_peer(
    front_door: FrontDoor, fake_peers: FakePeers, settings: Settings, clock: ManualClock
) -> None:
    settings.REQUEST_DEADLINE = 0.3
    fake_peers.set("toppings", "stall")
    started = clock.monotonic()

    response = front_door().get(FULL)

    assert response.status_code == 200
    composition = response.json()
    # The stalled call waited what was left of the 0.3 s, and no longer (the peers' own
    # time-out is 1 s).
    detail = composition["services"]["toppings"]["detail"]
    assert detail == "toppings did not answer within 0.3 s"
    assert clock.monotonic() - started == pytest.approx(0.3)
    # What each peer was told it had left: the front door's budget, less the hop's reserve.
    sent = [int(ms) for ms in fake_peers.deadlines if ms]
    assert len(sent) == 3 and all(ms == pytest.approx(250, abs=1) for ms in sent), sent


def test_chaos_is_not_served_unless_enabled(front_door: FrontDoor) -> None:
    response = front_door().get("/_chaos", headers={"Authorization": f"Bearer {CHAOS_TOKEN}"})

    assert response.status_code == 404


def test_bodies_down_by_chaos_still_serves_the_page_and_its_chaos_drawer(
    front_door: FrontDoor, settings: Settings, tmp_path: Path, admin_token: str
) -> None:
    settings.CUPCAKE_CHAOS = True
    settings.STATE_DIR = tmp_path
    chaos_file_for("bodies", tmp_path).write(ChaosSettings(down=True))
    lab = front_door()

    assert lab.get("/api/v1/bodies").status_code == 503
    assert lab.get("/api/v1/cupcake").status_code == 503
    assert lab.get("/").status_code == 200
    assert lab.get("/static/lab/lab.css").status_code == 200
    assert lab.get("/api/v1/lab/chaos").json()["services"]["bodies"]["down"] is True
    undone = lab.put("/api/v1/lab/chaos/bodies", json={})
    assert undone.json() == {
        "latency_ms": 0, "error_rate": 0.0, "down": False, "expires_in_s": None,
    }  # fmt: skip
    assert lab.get("/api/v1/bodies").status_code == 200
    auth = {"Authorization": f"Bearer {admin_token}"}
    assert lab.get("/_chaos", headers=auth).json()["down"] is False
