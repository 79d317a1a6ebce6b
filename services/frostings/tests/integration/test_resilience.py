"""Resilience through the real app: circuit breaker, stale answers, fresh checks, deadlines.

The peers are the MockTransport fakes; the app is the one ``create_app`` returns, so every
request goes through the chassis' deadline middleware like under a real server.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from apiflask import APIFlask
from flask.testing import FlaskClient

from cupcake_testing.clock import ManualClock, ManualSpawn

TOPPINGS_OF_VANILLA = "/api/v1/frostings/vanilla/toppings"
KEEP_FOR_ERRORS = "public, max-age=0, stale-if-error=300"
# One try per call, a breaker that opens after two failures and half-opens soon after.
QUICK_BREAKER = {"UPSTREAM_ATTEMPTS": 1, "BREAKER_FAILURES": 2, "BREAKER_RESET": 0.05}
Stored = Callable[[], dict[str, list[tuple[Any, ...]]]]


def _sent_deadline_ms(peers_fake: Any, service: str) -> int:
    return int(peers_fake.requests_to(service)[-1].headers["Request-Deadline-Ms"])


def test_the_breaker_opens_after_repeated_toppings_failures_and_then_answers_without_calling(
    migrated_app: Callable[..., APIFlask], peers_fake: Any
) -> None:
    client = migrated_app(**QUICK_BREAKER).test_client()
    peers_fake.fail("toppings", "down")
    for _ in range(2):
        assert client.get(TOPPINGS_OF_VANILLA).get_json()["status"] == "degraded"
    assert len(peers_fake.requests_to("toppings")) == 2

    answer = client.get(TOPPINGS_OF_VANILLA)
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["status"] == "degraded"
    assert "circuit open after repeated failures" in body["detail"]
    assert [item["available"] for item in body["items"]] == [False, False, False]
    assert answer.headers["Cache-Control"] == "max-age=1"
    assert len(peers_fake.requests_to("toppings")) == 2


def test_the_breaker_lets_toppings_back_in_once_it_recovers(
    migrated_app: Callable[..., APIFlask],
    peers_fake: Any,
    clock: ManualClock,
    spawn: ManualSpawn,
) -> None:
    client = migrated_app(**QUICK_BREAKER).test_client()
    peers_fake.fail("toppings", "error")
    for _ in range(3):
        client.get(TOPPINGS_OF_VANILLA)
    peers_fake.failures.clear()
    clock.advance(QUICK_BREAKER["BREAKER_RESET"])
    # Half-open: this request is answered at once, and the trial call goes in the background.
    assert client.get(TOPPINGS_OF_VANILLA).get_json()["status"] == "degraded"
    assert spawn.run() == 1
    assert client.get(TOPPINGS_OF_VANILLA).get_json()["status"] == "ok"


@pytest.mark.parametrize("how", ["down", "timeout", "error", "garbage"])
def test_stale_toppings_details_are_served_degraded_and_not_cached(
    client: FlaskClient, peers_fake: Any, how: str
) -> None:
    peers_fake.cache_control = KEEP_FOR_ERRORS
    fresh = client.get(TOPPINGS_OF_VANILLA).get_json()
    assert fresh["status"] == "ok"
    peers_fake.fail("toppings", how)

    answer = client.get(TOPPINGS_OF_VANILLA)
    assert answer.status_code == 200
    assert answer.get_json() == {
        "status": "degraded",
        "stale": True,
        "detail": "toppings is unavailable; these details are from cache",
        "items": fresh["items"],
    }
    assert all(item["available"] is True for item in fresh["items"])
    assert answer.headers["Cache-Control"] == "max-age=1"
    assert "ETag" not in answer.headers


def test_without_a_kept_answer_a_failing_toppings_still_means_unavailable_items(
    client: FlaskClient, peers_fake: Any
) -> None:
    client.get(TOPPINGS_OF_VANILLA)  # sent without stale-if-error: nothing may be kept
    peers_fake.fail("toppings", "down")
    body = client.get(TOPPINGS_OF_VANILLA).get_json()
    assert body["status"] == "degraded" and "stale" not in body
    assert [item["available"] for item in body["items"]] == [False, False, False]


def test_a_write_refuses_a_stale_answer_from_toppings_and_writes_nothing(
    client: FlaskClient, peers_fake: Any, admin: dict[str, str], stored: Stored
) -> None:
    peers_fake.cache_control = KEEP_FOR_ERRORS
    client.get(TOPPINGS_OF_VANILLA)
    peers_fake.fail("toppings", "down")
    assert client.get(TOPPINGS_OF_VANILLA).get_json()["stale"] is True  # one is kept
    before = stored()

    changes = {"name": "Vanilla Bean", "toppings": ["cherry", "flag", "sprinkles"]}
    refused = client.patch("/api/v1/frostings/vanilla", json=changes, headers=admin)
    assert refused.status_code == 503
    problem = refused.get_json()
    assert problem["type"] == "urn:cupcake-lab:problem:upstream-unavailable"
    assert "toppings service is unavailable" in problem["detail"]
    assert "cached answer" in problem["detail"]
    assert int(refused.headers["Retry-After"]) > 0
    assert stored() == before


def test_a_write_refuses_a_stale_answer_from_bodies_and_writes_nothing(
    client: FlaskClient, peers_fake: Any, admin: dict[str, str], stored: Stored
) -> None:
    peers_fake.cache_control = KEEP_FOR_ERRORS
    paired = client.patch("/api/v1/frostings/vanilla", json={"bodies": ["vanilla"]}, headers=admin)
    assert paired.status_code == 200  # and the bodies' answer is kept
    peers_fake.fail("bodies", "error")
    before = stored()

    refused = client.post(
        "/api/v1/frostings",
        json={"slug": "lemon", "name": "Lemon", "color": "#fde047", "bodies": ["vanilla"]},
        headers=admin,
    )
    assert refused.status_code == 503
    detail = refused.get_json()["detail"]
    assert "bodies service is unavailable" in detail and "cached answer" in detail
    assert "Retry-After" in refused.headers
    assert stored() == before


def test_the_callers_deadline_is_honoured_and_what_is_left_is_sent_on_to_toppings(
    client: FlaskClient, peers_fake: Any
) -> None:
    answer = client.get(TOPPINGS_OF_VANILLA, headers={"Request-Deadline-Ms": "300"})
    assert answer.get_json()["status"] == "ok"
    assert 0 < _sent_deadline_ms(peers_fake, "toppings") < 300


def test_a_write_sends_what_is_left_of_the_callers_deadline_to_the_owners(
    client: FlaskClient, peers_fake: Any, admin: dict[str, str]
) -> None:
    peers_fake.delays["bodies"] = 0.1
    headers = {**admin, "Request-Deadline-Ms": "400"}
    changes = {"bodies": ["vanilla"], "toppings": ["cherry"]}
    assert (
        client.patch("/api/v1/frostings/vanilla", json=changes, headers=headers).status_code == 200
    )
    # Each is told what is left, less the hop's reserve: 0.4 s, then 0.1 s later 0.3 s.
    assert _sent_deadline_ms(peers_fake, "bodies") == pytest.approx(350, abs=1)
    assert _sent_deadline_ms(peers_fake, "toppings") == pytest.approx(250, abs=1)


def test_without_a_callers_deadline_a_call_gets_at_most_the_upstream_timeout(
    client: FlaskClient, peers_fake: Any
) -> None:
    client.get(TOPPINGS_OF_VANILLA)
    # The chassis keeps a tenth of the time left for this hop, and sends on the rest.
    assert _sent_deadline_ms(peers_fake, "toppings") == 900


def test_the_services_own_deadline_caps_a_more_generous_caller(
    migrated_app: Callable[..., APIFlask], peers_fake: Any
) -> None:
    client = migrated_app(REQUEST_DEADLINE=0.2).test_client()
    client.get(TOPPINGS_OF_VANILLA, headers={"Request-Deadline-Ms": "60000"})
    assert _sent_deadline_ms(peers_fake, "toppings") == pytest.approx(150, abs=1)


def test_a_request_arriving_with_no_time_left_is_refused_with_504(
    client: FlaskClient, peers_fake: Any
) -> None:
    answer = client.get(TOPPINGS_OF_VANILLA, headers={"Request-Deadline-Ms": "0"})
    assert answer.status_code == 504
    assert answer.mimetype == "application/problem+json"
    assert answer.get_json()["type"] == "urn:cupcake-lab:problem:deadline-exceeded"
    assert peers_fake.requests == []


def test_too_little_time_left_to_ask_toppings_is_a_degraded_answer_without_a_call(
    client: FlaskClient, peers_fake: Any
) -> None:
    answer = client.get(TOPPINGS_OF_VANILLA, headers={"Request-Deadline-Ms": "5"})
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["status"] == "degraded"
    assert "the request's deadline had run out" in body["detail"]
    assert peers_fake.requests == []
