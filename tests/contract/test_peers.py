"""Frostings reads and checks its peers' real answers: the contract between the services."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from flask import Flask
from flask.testing import FlaskClient

from tests.inprocess import TOPPINGS_URL


def test_frosting_toppings_carry_the_details_toppings_serves(frostings: FlaskClient) -> None:
    answer = frostings.get("/api/v1/frostings/strawberry/toppings")
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["status"] == "ok"
    assert [(t["slug"], t["name"], t["available"]) for t in body["items"]] == [
        ("cherry", "Cherry", True),
        ("flag", "Flag", True),
    ]
    assert all(t["image_url"].startswith(f"{TOPPINGS_URL}/api/v1/toppings/") for t in body["items"])


def test_a_topping_deleted_at_its_owner_shows_as_unavailable(
    frostings: FlaskClient,
    frostings_factory: Callable[[], Flask],
    toppings: httpx.Client,
    admin: dict[str, str],
) -> None:
    created = toppings.post(
        "/api/v1/toppings",
        json={"slug": "contract-gum", "name": "Gum", "color": "#22c55e"},
        headers=admin,
    )
    assert created.status_code == 201
    paired = frostings.patch(
        "/api/v1/frostings/vanilla",
        json={"toppings": ["sprinkles", "cherry", "flag", "contract-gum"]},
        headers=admin,
    )
    assert paired.status_code == 200, paired.get_json()
    assert toppings.delete("/api/v1/toppings/contract-gum", headers=admin).status_code == 204

    # A frostings process that has not cached the topping yet (caches may lag by max-age).
    answer = frostings_factory().test_client().get("/api/v1/frostings/vanilla/toppings").get_json()
    gum = next(t for t in answer["items"] if t["slug"] == "contract-gum")
    assert gum["available"] is False
    assert "contract-gum" in frostings.get("/api/v1/frostings/vanilla").get_json()["toppings"]


def test_a_pairing_naming_an_unknown_topping_is_refused_and_nothing_changes(
    frostings: FlaskClient, admin: dict[str, str]
) -> None:
    before = frostings.get("/api/v1/frostings/chocolate").get_json()
    refused = frostings.patch(
        "/api/v1/frostings/chocolate",
        json={"toppings": ["cherry", "no-such-topping"]},
        headers=admin,
    )
    assert refused.status_code == 422
    assert refused.get_json()["type"] == "urn:cupcake-lab:problem:unknown-reference"
    assert frostings.get("/api/v1/frostings/chocolate").get_json() == before


def test_a_pairing_naming_an_unknown_body_is_refused(
    frostings: FlaskClient, admin: dict[str, str]
) -> None:
    refused = frostings.post(
        "/api/v1/frostings",
        json={"slug": "lemon", "name": "Lemon", "color": "#fde047", "bodies": ["sponge"]},
        headers=admin,
    )
    assert refused.status_code == 422
    assert refused.get_json()["type"] == "urn:cupcake-lab:problem:unknown-reference"
    assert frostings.get("/api/v1/frostings/lemon").status_code == 404


def test_a_frosting_pairing_real_bodies_and_toppings_is_created(
    frostings: FlaskClient, admin: dict[str, str]
) -> None:
    created = frostings.post(
        "/api/v1/frostings",
        json={
            "slug": "lemon",
            "name": "Lemon",
            "color": "#fde047",
            "bodies": ["carrot-cake", "vanilla"],
            "toppings": ["cherry"],
        },
        headers=admin,
    )
    assert created.status_code == 201, created.get_json()
    on_carrot = frostings.get("/api/v1/frostings?body=carrot-cake").get_json()["items"]
    assert [f["slug"] for f in on_carrot] == ["lemon", "vanilla"]
