"""The chaos drawer's API: every service's faults, read and set through bodies."""

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from pytest_django import Settings

from cupcake_chassis.chaos import ChaosSettings, chaos_file_for
from cupcake_testing.clock import ManualClock
from fakes import NO_CHAOS, FakePeers
from integration.helpers import problem_of

pytestmark = pytest.mark.integration

SLOW = {"latency_ms": 1500, "error_rate": 0.25, "down": False, "expires_in_s": None}


@pytest.fixture
def chaos_lab(
    settings: Settings, tmp_path: Path, admin_token: str, fake_peers: FakePeers
) -> FakePeers:
    """A lab with chaos enabled: bodies' chaos file in tmp_path, the peers fake."""
    settings.CUPCAKE_CHAOS = True
    settings.STATE_DIR = tmp_path
    return fake_peers


def put(client: Client, service: str, settings: Any) -> Any:
    """PUT ``settings`` (as JSON) for ``service``."""
    return client.put(
        f"/api/v1/lab/chaos/{service}", json.dumps(settings), content_type="application/json"
    )


def test_without_chaos_enabled_the_drawers_api_is_not_there(
    client: Client, fake_peers: FakePeers
) -> None:
    problem_of(client.get("/api/v1/lab/chaos"), 404)
    problem_of(put(client, "toppings", SLOW), 404)
    assert fake_peers.requests == []


def test_every_services_chaos_is_read(client: Client, chaos_lab: FakePeers) -> None:
    chaos_lab.chaos["toppings"] = {**NO_CHAOS, "error_rate": 0.5}

    response = client.get("/api/v1/lab/chaos")

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response.json() == {
        "services": {
            "bodies": NO_CHAOS,
            "frostings": NO_CHAOS,
            "toppings": {**NO_CHAOS, "error_rate": 0.5},
        }
    }


def test_a_peer_that_cannot_be_asked_is_null(client: Client, chaos_lab: FakePeers) -> None:
    chaos_lab.set("frostings", "down")

    services = client.get("/api/v1/lab/chaos").json()["services"]

    assert services == {"bodies": NO_CHAOS, "frostings": None, "toppings": NO_CHAOS}


def test_bodies_own_chaos_is_written_to_its_chaos_file(
    client: Client, chaos_lab: FakePeers, tmp_path: Path
) -> None:
    response = put(client, "bodies", SLOW)

    assert response.status_code == 200
    assert response.json() == SLOW
    assert chaos_file_for("bodies", tmp_path).read() == ChaosSettings(
        latency_ms=1500, error_rate=0.25
    )
    assert chaos_lab.requests == []
    assert client.get("/api/v1/lab/chaos").json()["services"]["bodies"] == SLOW


@pytest.mark.parametrize("service", ["frostings", "toppings"])
def test_a_peers_chaos_is_forwarded_with_the_admin_token(
    client: Client, chaos_lab: FakePeers, service: str
) -> None:
    response = put(client, service, {"down": True})

    assert response.status_code == 200
    assert response.json() == {**NO_CHAOS, "down": True}
    assert chaos_lab.chaos[service] == {**NO_CHAOS, "down": True}
    assert chaos_lab.requests == [f"{service} /_chaos"]


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"latency_ms": -1}, "latency_ms"),
        ({"latency_ms": 30_001}, "latency_ms"),
        ({"latency_ms": 1.5}, "latency_ms"),
        ({"error_rate": 2}, "error_rate"),
        ({"error_rate": True}, "error_rate"),
        ({"down": "yes"}, "down"),
        ({"slow": True}, "body"),
        ({"down": True, "expires_in_s": 0}, "expires_in_s"),
        ({"down": True, "expires_in_s": 3601}, "expires_in_s"),
        ({"down": True, "expires_in_s": "10"}, "expires_in_s"),
    ],
)
def test_invalid_settings_are_422_and_change_nothing(
    client: Client, chaos_lab: FakePeers, tmp_path: Path, given: Any, field: str
) -> None:
    for service in ("bodies", "toppings"):
        problem = problem_of(put(client, service, given), 422)

        assert problem["type"] == "urn:cupcake-lab:problem:invalid-input"
        assert [error["field"] for error in problem["errors"]] == [field]
    assert chaos_lab.requests == []
    assert not (tmp_path / "chaos-bodies.json").exists()


@pytest.mark.parametrize("service", ["frostings", "toppings"])
def test_an_expiry_is_forwarded_to_the_peer_which_ends_its_chaos_itself(
    client: Client, chaos_lab: FakePeers, service: str
) -> None:
    response = put(client, service, {"down": True, "expires_in_s": 12.5})

    assert response.status_code == 200
    assert response.json() == {**NO_CHAOS, "down": True, "expires_in_s": 12.5}
    assert chaos_lab.chaos[service] == {**NO_CHAOS, "down": True, "expires_in_s": 12.5}


def test_bodies_own_chaos_with_an_expiry_ends_by_itself(
    client: Client, chaos_lab: FakePeers, clock: ManualClock
) -> None:
    set_answer = put(client, "bodies", {"latency_ms": 200, "expires_in_s": 10})
    assert set_answer.json() == {**NO_CHAOS, "latency_ms": 200, "expires_in_s": 10}

    clock.advance(7.5)
    assert client.get("/api/v1/lab/chaos").json()["services"]["bodies"]["expires_in_s"] == 2.5
    clock.advance(2.5)

    assert client.get("/api/v1/lab/chaos").json()["services"]["bodies"] == NO_CHAOS


def test_an_unknown_service_is_404(client: Client, chaos_lab: FakePeers) -> None:
    problem = problem_of(put(client, "sprinkles", SLOW), 404)

    assert problem["detail"] == (
        "no service 'sprinkles'; the lab's services are bodies, frostings, toppings"
    )


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [("latency_ms=5", "application/x-www-form-urlencoded", 415), ("[1]", "application/json", 400)],
)
def test_only_a_json_object_is_taken(
    client: Client, chaos_lab: FakePeers, body: str, content_type: str, status: int
) -> None:
    response = client.put("/api/v1/lab/chaos/bodies", body, content_type=content_type)

    problem_of(response, status)


@pytest.mark.parametrize("mode", ["down", "timeout", "error", "garbage"])
def test_a_peer_that_cannot_be_reached_is_503_with_retry_after(
    client: Client, chaos_lab: FakePeers, mode: Any
) -> None:
    chaos_lab.set("toppings", mode)

    response = put(client, "toppings", SLOW)

    problem = problem_of(response, 503)
    assert response["Retry-After"] == "5"
    assert problem["detail"].startswith("toppings ")


def test_without_an_admin_token_the_peers_cannot_be_asked(
    client: Client, chaos_lab: FakePeers, settings: Settings
) -> None:
    settings.CUPCAKE_ADMIN_TOKEN = None

    problem = problem_of(put(client, "frostings", SLOW), 503)

    assert problem["detail"] == "frostings cannot be asked: no admin token is configured"
    assert client.get("/api/v1/lab/chaos").json()["services"]["frostings"] is None
    assert put(client, "bodies", SLOW).status_code == 200
