"""A frosting's toppings, fetched from the toppings service; degraded when it fails."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from frostings.caching import CACHE_CONTROL


def test_toppings_come_with_their_details(client: FlaskClient, peers_fake: Any) -> None:
    response = client.get("/api/v1/frostings/strawberry/toppings")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ok",
        "items": [
            {**peers_fake.toppings["cherry"], "available": True},
            {**peers_fake.toppings["flag"], "available": True},
        ],
    }
    assert response.headers["Cache-Control"] == CACHE_CONTROL
    assert [r.url.params["slug"] for r in peers_fake.requests] == ["cherry,flag"]


def test_a_topping_the_service_no_longer_has_is_shown_unavailable(
    client: FlaskClient, peers_fake: Any
) -> None:
    del peers_fake.toppings["flag"]
    response = client.get("/api/v1/frostings/strawberry/toppings")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["items"][0]["available"] is True
    assert body["items"][1] == {"slug": "flag", "available": False}


def test_a_frosting_without_toppings_asks_nobody(
    client: FlaskClient, admin: dict[str, str], peers_fake: Any
) -> None:
    client.patch("/api/v1/frostings/neon-blue", json={"toppings": []}, headers=admin)
    peers_fake.requests.clear()
    response = client.get("/api/v1/frostings/neon-blue/toppings")
    assert response.get_json() == {"items": [], "status": "ok"}
    assert peers_fake.requests == []


@pytest.mark.parametrize("how", ["down", "timeout", "error", "garbage"])
def test_when_toppings_fails_the_answer_is_degraded_not_an_error(
    client: FlaskClient, peers_fake: Any, how: str
) -> None:
    peers_fake.fail("toppings", how)
    response = client.get("/api/v1/frostings/vanilla/toppings")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "degraded"
    assert body["items"] == [
        {"slug": slug, "available": False} for slug in ("cherry", "flag", "sprinkles")
    ]
    assert "toppings service is unavailable" in body["detail"]
    assert response.headers["Cache-Control"] == "max-age=1"
    assert "ETag" not in response.headers


def test_the_answer_recovers_when_toppings_comes_back(client: FlaskClient, peers_fake: Any) -> None:
    peers_fake.fail("toppings", "down")
    assert client.get("/api/v1/frostings/flag/toppings").status_code == 404
    assert client.get("/api/v1/frostings/neon-blue/toppings").get_json()["status"] == "degraded"
    peers_fake.failures.clear()
    assert client.get("/api/v1/frostings/neon-blue/toppings").get_json()["status"] == "ok"
