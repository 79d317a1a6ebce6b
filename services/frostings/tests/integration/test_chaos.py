"""Chaos from inside, through the real wrapped app: ``/_chaos`` and the faults it injects.

The test client calls ``app.wsgi_app``, which ``create_app`` wrapped in the chassis'
middleware, so these requests meet the chaos exactly as under granian.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from apiflask import APIFlask
from flask.testing import FlaskClient

from cupcake_testing.clock import ManualClock

CHAOS_PROBLEM = "urn:cupcake-lab:problem:chaos"


@pytest.fixture
def state_dir(tmp_path: Path) -> Path:
    """The lab's state folder, where the chaos settings file lives."""
    return tmp_path / "lab"


@pytest.fixture
def chaos_app(migrated_app: Callable[..., APIFlask], state_dir: Path) -> APIFlask:
    """The app as the local lab runs it: chaos enabled."""
    return migrated_app(CHAOS_ENABLED=True, STATE_DIR=state_dir)


@pytest.fixture
def chaos_client(chaos_app: APIFlask) -> FlaskClient:
    """A test client of the app with chaos enabled."""
    return chaos_app.test_client()


def test_chaos_control_is_absent_unless_enabled(client: FlaskClient, admin: dict[str, str]) -> None:
    answer = client.get("/_chaos", headers=admin)
    assert answer.status_code == 404
    assert answer.mimetype == "application/problem+json"


def test_chaos_control_needs_the_admin_token(chaos_client: FlaskClient) -> None:
    answer = chaos_client.put("/_chaos", json={"down": True})
    assert answer.status_code == 401
    assert "Bearer" in answer.headers["WWW-Authenticate"]
    assert chaos_client.get("/api/v1/frostings").status_code == 200


def test_chaos_down_takes_the_whole_service_down_until_cleared(
    chaos_client: FlaskClient, admin: dict[str, str], state_dir: Path
) -> None:
    put = chaos_client.put("/_chaos", json={"down": True}, headers=admin)
    assert put.get_json() == {
        "latency_ms": 0, "error_rate": 0.0, "down": True, "expires_in_s": None,
    }  # fmt: skip
    assert (state_dir / "chaos-frostings.json").exists()
    for path in ("/api/v1/frostings", "/api/v1/frostings/vanilla/toppings", "/healthz"):
        answer = chaos_client.get(path)
        assert answer.status_code == 503, path
        assert answer.get_json()["type"] == CHAOS_PROBLEM
        assert "Retry-After" in answer.headers
    assert chaos_client.get("/_chaos", headers=admin).get_json()["down"] is True

    chaos_client.delete("/_chaos", headers=admin)
    assert chaos_client.get("/api/v1/frostings").status_code == 200


def test_chaos_error_rate_answers_that_share_of_requests_with_500(
    chaos_client: FlaskClient, admin: dict[str, str], peers_fake: Any
) -> None:
    chaos_client.put("/_chaos", json={"error_rate": 1}, headers=admin)
    answers = [chaos_client.get("/api/v1/frostings/vanilla/toppings") for _ in range(5)]
    assert [a.status_code for a in answers] == [500] * 5
    assert all(a.get_json()["type"] == CHAOS_PROBLEM for a in answers)
    assert peers_fake.requests == []  # refused before the app ran

    chaos_client.put("/_chaos", json={"error_rate": 0}, headers=admin)
    assert chaos_client.get("/api/v1/frostings/vanilla/toppings").status_code == 200


def test_chaos_latency_delays_every_request(
    chaos_client: FlaskClient, admin: dict[str, str], clock: ManualClock
) -> None:
    chaos_client.put("/_chaos", json={"latency_ms": 60}, headers=admin)
    started = clock.monotonic()
    assert chaos_client.get("/api/v1/frostings").status_code == 200
    assert clock.monotonic() - started == pytest.approx(0.06)


def test_chaos_settings_are_shared_by_every_worker_through_the_state_folder(
    chaos_client: FlaskClient,
    make_app: Callable[..., APIFlask],
    admin: dict[str, str],
    state_dir: Path,
) -> None:
    other_worker = make_app(CHAOS_ENABLED=True, STATE_DIR=state_dir).test_client()
    chaos_client.put("/_chaos", json={"down": True}, headers=admin)
    assert other_worker.get("/api/v1/frostings").status_code == 503


def test_invalid_chaos_settings_are_refused(
    chaos_client: FlaskClient, admin: dict[str, str]
) -> None:
    answer = chaos_client.put("/_chaos", json={"error_rate": 2}, headers=admin)
    assert answer.status_code == 422
    assert answer.get_json()["type"] == "urn:cupcake-lab:problem:invalid-input"
    assert chaos_client.get("/api/v1/frostings").status_code == 200


def test_chaos_given_an_expiry_ends_by_itself(
    chaos_client: FlaskClient, admin: dict[str, str], clock: ManualClock
) -> None:
    put = chaos_client.put("/_chaos", json={"error_rate": 1, "expires_in_s": 2.5}, headers=admin)
    assert put.get_json()["expires_in_s"] == 2.5
    clock.advance(2)
    assert chaos_client.get("/api/v1/frostings").status_code == 500
    assert chaos_client.get("/_chaos", headers=admin).get_json()["expires_in_s"] == 0.5
    clock.advance(0.5)
    assert chaos_client.get("/api/v1/frostings").status_code == 200
    assert chaos_client.get("/_chaos", headers=admin).get_json()["error_rate"] == 0


@pytest.mark.parametrize("expires_in_s", [0, -1, 3600.1, "10", True])
def test_a_bad_chaos_expiry_is_a_422_problem(
    chaos_client: FlaskClient, admin: dict[str, str], expires_in_s: Any
) -> None:
    body = {"down": True, "expires_in_s": expires_in_s}
    answer = chaos_client.put("/_chaos", json=body, headers=admin)
    assert answer.status_code == 422
    assert answer.mimetype == "application/problem+json"
    assert "expires_in_s" in answer.get_json()["detail"]
    assert chaos_client.get("/api/v1/frostings").status_code == 200
