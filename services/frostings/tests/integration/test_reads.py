"""Catalogue reads on the seeded database: list, filter, detail, picture, caching."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest
from flask.testing import FlaskClient

from frostings.caching import CACHE_CONTROL

PUBLIC_URL = "http://frostings.test"

SEEDED: dict[str, dict[str, Any]] = {
    "chocolate": {
        "name": "Chocolate",
        "bodies": ["chocolate", "vanilla"],
        "toppings": ["cherry", "flag", "sprinkles"],
    },
    "neon-blue": {"name": "Neon Blue", "bodies": ["vanilla"], "toppings": ["flag"]},
    "strawberry": {"name": "Strawberry", "bodies": ["vanilla"], "toppings": ["cherry", "flag"]},
    "vanilla": {
        "name": "Vanilla",
        "bodies": ["carrot-cake", "chocolate", "vanilla"],
        "toppings": ["cherry", "flag", "sprinkles"],
    },
}

READS = [
    "/api/v1/frostings",
    "/api/v1/frostings?body=vanilla",
    "/api/v1/frostings/vanilla",
    "/api/v1/frostings/neon-blue/image.svg",
    "/api/v1/frostings/strawberry/toppings",
]


def test_the_seeded_catalogue_is_the_designs(client: FlaskClient) -> None:
    response = client.get("/api/v1/frostings")
    assert response.status_code == 200
    items = response.get_json()["items"]
    assert [item["slug"] for item in items] == ["chocolate", "neon-blue", "strawberry", "vanilla"]
    for item in items:
        expected = SEEDED[item["slug"]]
        assert item["name"] == expected["name"]
        assert item["bodies"] == expected["bodies"]
        assert item["toppings"] == expected["toppings"]
        assert item["description"]
        assert item["color"].startswith("#") and len(item["color"]) == 7
        assert item["image_url"] == f"{PUBLIC_URL}/api/v1/frostings/{item['slug']}/image.svg"


@pytest.mark.parametrize(
    ("body", "slugs"),
    [
        ("carrot-cake", ["vanilla"]),
        ("chocolate", ["chocolate", "vanilla"]),
        ("vanilla", ["chocolate", "neon-blue", "strawberry", "vanilla"]),
        ("lemon-sponge", []),
    ],
)
def test_the_body_filter_lists_the_frostings_that_go_on_it(
    client: FlaskClient, body: str, slugs: list[str]
) -> None:
    response = client.get(f"/api/v1/frostings?body={body}")
    assert response.status_code == 200
    assert [item["slug"] for item in response.get_json()["items"]] == slugs


@pytest.mark.parametrize("body", ["", "Carrot Cake", "a" * 41, "vanilla\n", "a\x00b"])
def test_a_malformed_body_filter_is_invalid_input(client: FlaskClient, body: str) -> None:
    response = client.get("/api/v1/frostings", query_string={"body": body})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["type"] == "urn:cupcake-lab:problem:invalid-input"
    assert problem["errors"][0]["field"] == "body"


def test_a_frosting_is_read_by_slug(client: FlaskClient) -> None:
    response = client.get("/api/v1/frostings/neon-blue")
    assert response.status_code == 200
    assert response.get_json() == {
        "slug": "neon-blue",
        "name": "Neon Blue",
        "description": response.get_json()["description"],
        "color": "#1fb6ff",
        "image_url": f"{PUBLIC_URL}/api/v1/frostings/neon-blue/image.svg",
        "bodies": ["vanilla"],
        "toppings": ["flag"],
    }


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/frostings/lemon",
        "/api/v1/frostings/lemon/image.svg",
        "/api/v1/frostings/lemon/toppings",
        "/api/v1/frostings/NEON-BLUE",
        "/api/v1/frostings/a%00b",
        "/api/v1/frostings/a%00b/image.svg",
        "/api/v1/frostings/a%00b/toppings",
        f"/api/v1/frostings/{'x' * 41}",
    ],
)
def test_an_unknown_frosting_is_404(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["detail"].startswith("no frosting")


def test_the_picture_is_an_svg_layer_in_the_frostings_colour(client: FlaskClient) -> None:
    response = client.get("/api/v1/frostings/neon-blue/image.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    root = ET.fromstring(response.get_data(as_text=True))
    assert root.attrib["viewBox"] == "0 0 200 200"
    assert "#1fb6ff" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", READS)
def test_reads_carry_a_strong_etag_and_cache_control(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    etag = response.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert response.headers["Cache-Control"] == CACHE_CONTROL
    assert client.get(path).headers["ETag"] == etag


@pytest.mark.parametrize("path", READS)
@pytest.mark.parametrize("form", ["{etag}", "W/{etag}", '"stale", {etag}', "*"])
def test_a_matching_if_none_match_gets_304_without_a_body(
    client: FlaskClient, path: str, form: str
) -> None:
    etag = client.get(path).headers["ETag"]
    response = client.get(path, headers={"If-None-Match": form.format(etag=etag)})
    assert response.status_code == 304
    assert response.get_data() == b""
    assert "Content-Type" not in response.headers
    assert response.headers["ETag"] == etag
    assert response.headers["Cache-Control"] == CACHE_CONTROL


@pytest.mark.parametrize("path", READS)
def test_a_stale_if_none_match_gets_the_full_answer(client: FlaskClient, path: str) -> None:
    response = client.get(path, headers={"If-None-Match": '"stale"'})
    assert response.status_code == 200
    assert response.get_data()


def test_the_etag_changes_when_the_frosting_does(
    client: FlaskClient, admin: dict[str, str]
) -> None:
    before = client.get("/api/v1/frostings/vanilla").headers["ETag"]
    client.patch("/api/v1/frostings/vanilla", json={"name": "Vanilla Bean"}, headers=admin)
    response = client.get("/api/v1/frostings/vanilla", headers={"If-None-Match": before})
    assert response.status_code == 200
    assert response.headers["ETag"] != before
