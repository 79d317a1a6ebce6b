"""Catalogue edits that succeed: add, replace, change, remove; references checked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.testing import FlaskClient

PUBLIC_URL = "http://frostings.test"

LEMON = {
    "slug": "lemon-zest",
    "name": "Lemon Zest",
    "description": "Sharp and sunny.",
    "color": "#FFE066",
    "bodies": ["vanilla", "carrot-cake", "vanilla"],
    "toppings": ["cherry"],
}


def test_adding_a_frosting_stores_it_and_says_where(
    client: FlaskClient, admin: dict[str, str], peers_fake: Any
) -> None:
    response = client.post("/api/v1/frostings", json=LEMON, headers=admin)
    assert response.status_code == 201
    assert response.headers["Location"] == f"{PUBLIC_URL}/api/v1/frostings/lemon-zest"
    created = response.get_json()
    assert created == {
        "slug": "lemon-zest",
        "name": "Lemon Zest",
        "description": "Sharp and sunny.",
        "color": "#ffe066",
        "image_url": f"{PUBLIC_URL}/api/v1/frostings/lemon-zest/image.svg",
        "bodies": ["carrot-cake", "vanilla"],
        "toppings": ["cherry"],
    }
    assert client.get("/api/v1/frostings/lemon-zest").get_json() == created
    asked = [(r.url.host, r.url.path, r.url.params.get("slug")) for r in peers_fake.requests]
    assert asked == [
        ("bodies.test", "/api/v1/bodies", None),
        ("toppings.test", "/api/v1/toppings", "cherry"),
    ]


def test_a_new_frosting_takes_its_place_in_slug_order(
    client: FlaskClient, admin: dict[str, str]
) -> None:
    client.post("/api/v1/frostings", json={**LEMON, "slug": "choco-mint"}, headers=admin)

    slugs = [item["slug"] for item in client.get("/api/v1/frostings").get_json()["items"]]

    # Character by character on every database: a collation that skips hyphens (en_US, as
    # the PostgreSQL test databases have) would put chocolate first.
    assert slugs == ["choco-mint", "chocolate", "neon-blue", "strawberry", "vanilla"]


def test_a_new_frosting_is_drawn_from_its_colour(
    client: FlaskClient, admin: dict[str, str]
) -> None:
    client.post("/api/v1/frostings", json=LEMON, headers=admin)
    svg = client.get("/api/v1/frostings/lemon-zest/image.svg").get_data(as_text=True)
    assert "#ffe066" in svg


def test_a_frosting_without_pairings_needs_no_peer(
    client: FlaskClient, admin: dict[str, str], peers_fake: Any
) -> None:
    peers_fake.fail("bodies", "down")
    peers_fake.fail("toppings", "down")
    body = {"slug": "plain", "name": "Plain", "color": "#ffffff"}
    assert client.post("/api/v1/frostings", json=body, headers=admin).status_code == 201
    assert peers_fake.requests == []


def test_replacing_sets_every_editable_field(client: FlaskClient, admin: dict[str, str]) -> None:
    response = client.put(
        "/api/v1/frostings/strawberry",
        json={"name": "Wild Strawberry", "color": "#E8457A", "bodies": ["chocolate"]},
        headers=admin,
    )
    assert response.status_code == 200
    replaced = response.get_json()
    assert replaced["name"] == "Wild Strawberry"
    assert replaced["description"] == ""
    assert replaced["color"] == "#e8457a"
    assert replaced["bodies"] == ["chocolate"]
    assert replaced["toppings"] == []
    assert client.get("/api/v1/frostings/strawberry").get_json() == replaced


def test_replacing_may_repeat_the_slug_of_the_path(
    client: FlaskClient, admin: dict[str, str]
) -> None:
    body = {"slug": "strawberry", "name": "S", "color": "#000000"}
    assert client.put("/api/v1/frostings/strawberry", json=body, headers=admin).status_code == 200


def test_changing_keeps_the_fields_not_given(
    client: FlaskClient, admin: dict[str, str], peers_fake: Any
) -> None:
    before = client.get("/api/v1/frostings/vanilla").get_json()
    response = client.patch(
        "/api/v1/frostings/vanilla", json={"name": "Vanilla Bean"}, headers=admin
    )
    assert response.status_code == 200
    assert response.get_json() == {**before, "name": "Vanilla Bean"}
    assert peers_fake.requests == []


def test_changing_pairings_checks_only_those_given(
    client: FlaskClient, admin: dict[str, str], peers_fake: Any
) -> None:
    response = client.patch(
        "/api/v1/frostings/neon-blue", json={"toppings": ["flag", "cherry"]}, headers=admin
    )
    assert response.status_code == 200
    assert response.get_json()["toppings"] == ["cherry", "flag"]
    assert response.get_json()["bodies"] == ["vanilla"]
    assert [r.url.host for r in peers_fake.requests] == ["toppings.test"]


def test_removing_a_frosting_removes_its_pairings(
    client: FlaskClient,
    admin: dict[str, str],
    stored: Callable[[], dict[str, list[tuple[Any, ...]]]],
) -> None:
    response = client.delete("/api/v1/frostings/chocolate", headers=admin)
    assert response.status_code == 204
    assert response.get_data() == b""
    assert "Content-Type" not in response.headers
    assert client.get("/api/v1/frostings/chocolate").status_code == 404
    rows = stored()
    assert len(rows["frostings"]) == 3
    assert len(rows["frosting_bodies"]) == 5
    assert len(rows["frosting_toppings"]) == 6
    slugs = [i["slug"] for i in client.get("/api/v1/frostings?body=chocolate").get_json()["items"]]
    assert slugs == ["vanilla"]


def test_a_removed_slug_can_be_added_again(client: FlaskClient, admin: dict[str, str]) -> None:
    client.delete("/api/v1/frostings/neon-blue", headers=admin)
    body = {"slug": "neon-blue", "name": "Neon Blue II", "color": "#00ffff", "bodies": ["vanilla"]}
    assert client.post("/api/v1/frostings", json=body, headers=admin).status_code == 201
