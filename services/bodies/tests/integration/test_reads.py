"""Catalogue reads through the real app: the seeded catalogue, pictures, ETags and 304."""

import hashlib
import json
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from pytest_django import Settings

from integration.helpers import SEEDED_CATALOGUE, problem_of

pytestmark = pytest.mark.integration

READ_PATHS = ["/api/v1/bodies", "/api/v1/bodies/vanilla", "/api/v1/bodies/vanilla/image.svg"]
CACHE_CONTROL = "public, max-age=1, stale-while-revalidate=30, stale-if-error=300"


def test_the_seeded_catalogue_is_the_designs_sorted_by_slug(client: Client) -> None:
    response = client.get("/api/v1/bodies")

    items = response.json()["items"]
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert [(item["slug"], item["name"]) for item in items] == SEEDED_CATALOGUE
    assert all(item["description"] for item in items)


def test_each_body_has_a_colour_and_an_absolute_image_url(client: Client) -> None:
    for item in client.get("/api/v1/bodies").json()["items"]:
        assert set(item) == {"slug", "name", "description", "color", "image_url"}
        assert len(item["color"]) == 7 and item["color"].startswith("#")
        assert item["image_url"] == (
            f"http://127.0.0.1:8000/api/v1/bodies/{item['slug']}/image.svg"
        )


def test_image_urls_follow_the_public_url(client: Client, settings: Settings) -> None:
    settings.PUBLIC_URL = "https://bodies.example"

    body = client.get("/api/v1/bodies/chocolate").json()

    assert body["image_url"] == "https://bodies.example/api/v1/bodies/chocolate/image.svg"


def test_one_body_is_read_by_its_slug(client: Client) -> None:
    response = client.get("/api/v1/bodies/carrot-cake")

    assert response.status_code == 200
    assert response.json()["name"] == "Carrot Cake"


@pytest.mark.parametrize("path", ["/api/v1/bodies/lemon", "/api/v1/bodies/lemon/image.svg"])
def test_an_unknown_body_is_a_404_problem(client: Client, path: str) -> None:
    problem = problem_of(client.get(path), 404)

    assert problem == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "no body 'lemon'",
    }


@pytest.mark.parametrize("slug", ["a%00b", "Vanilla", "x" * 41])
@pytest.mark.parametrize("suffix", ["", "/image.svg"])
def test_what_is_no_slug_names_no_body(client: Client, slug: str, suffix: str) -> None:
    # PostgreSQL refuses a NUL character in a query: such a slug must never get there.
    problem_of(client.get(f"/api/v1/bodies/{slug}{suffix}"), 404)


def test_a_picture_is_svg_that_cannot_run_anything(client: Client) -> None:
    response = client.get("/api/v1/bodies/vanilla/image.svg")

    root = ET.fromstring(response.content)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert root.get("viewBox") == "0 0 200 200"
    assert "default-src 'none'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("path", READ_PATHS)
def test_reads_carry_a_strong_etag_of_their_body_and_cache_control(
    client: Client, path: str
) -> None:
    response = client.get(path)

    assert response["ETag"] == f'"{hashlib.sha256(response.content).hexdigest()}"'
    assert response["Cache-Control"] == CACHE_CONTROL


@pytest.mark.parametrize("path", READ_PATHS)
@pytest.mark.parametrize("if_none_match", ["{etag}", "W/{etag}", '"nope", {etag}', "*"])
def test_a_matching_if_none_match_gets_304_without_a_body(
    client: Client, path: str, if_none_match: str
) -> None:
    etag = client.get(path)["ETag"]

    response = client.get(path, headers={"If-None-Match": if_none_match.format(etag=etag)})

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert response["Cache-Control"] == CACHE_CONTROL


@pytest.mark.parametrize("path", READ_PATHS)
def test_a_stale_if_none_match_gets_the_whole_answer(client: Client, path: str) -> None:
    response = client.get(path, headers={"If-None-Match": '"stale"'})

    assert response.status_code == 200
    assert response.content


def test_a_change_to_the_catalogue_changes_the_etag(client: Client, auth: dict[str, str]) -> None:
    etag = client.get("/api/v1/bodies")["ETag"]
    client.patch(
        "/api/v1/bodies/vanilla",
        data=json.dumps({"name": "Vanilla Bean"}),
        content_type="application/json",
        headers=auth,
    )

    response = client.get("/api/v1/bodies", headers={"If-None-Match": etag})

    assert response.status_code == 200
    assert response["ETag"] != etag
