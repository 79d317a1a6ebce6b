"""The gallery: GET /api/v1/cupcakes (newest first, paginated) and GET /api/v1/cupcakes/{id}."""

import uuid

import pytest
from django.test import Client

from integration.helpers import CUPCAKE, bake, problem_of

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("fake_peers")]

GALLERY = "http://127.0.0.1:8000/api/v1/cupcakes"


def bake_named(client: Client, *names: str) -> list[str]:
    """Bake one cupcake per name, in order; return their ids."""
    return [bake(client, {**CUPCAKE, "name": name}).json()["id"] for name in names]


def test_the_gallery_is_empty_at_first(client: Client) -> None:
    response = client.get("/api/v1/cupcakes")

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response.json() == {
        "items": [],
        "page": 1,
        "page_size": 12,
        "total": 0,
        "next": None,
        "previous": None,
    }


def test_the_gallery_shows_the_newest_cupcake_first(client: Client) -> None:
    bake_named(client, "first", "second", "third")

    items = client.get("/api/v1/cupcakes").json()["items"]

    assert [item["name"] for item in items] == ["third", "second", "first"]
    assert items[0] == client.get(f"/api/v1/cupcakes/{items[0]['id']}").json()


def test_the_gallery_is_paginated_with_links_to_the_pages_around(client: Client) -> None:
    bake_named(client, "a", "b", "c", "d", "e")

    first = client.get("/api/v1/cupcakes?page_size=2").json()
    middle = client.get(first["next"].removeprefix("http://127.0.0.1:8000")).json()
    last = client.get("/api/v1/cupcakes?page=3&page_size=2").json()

    assert [item["name"] for item in first["items"]] == ["e", "d"]
    assert [item["name"] for item in middle["items"]] == ["c", "b"]
    assert [item["name"] for item in last["items"]] == ["a"]
    assert (first["total"], first["page"], first["page_size"]) == (5, 1, 2)
    assert (first["previous"], first["next"]) == (None, f"{GALLERY}?page=2&page_size=2")
    assert (middle["previous"], middle["next"]) == (
        f"{GALLERY}?page=1&page_size=2",
        f"{GALLERY}?page=3&page_size=2",
    )
    assert (last["previous"], last["next"]) == (f"{GALLERY}?page=2&page_size=2", None)


def test_a_page_past_the_end_is_empty_and_points_back_to_the_last(client: Client) -> None:
    bake_named(client, "a", "b", "c")

    page = client.get("/api/v1/cupcakes?page=9&page_size=2").json()

    assert page["items"] == []
    assert (page["previous"], page["next"]) == (f"{GALLERY}?page=2&page_size=2", None)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=two", "page"),
        ("page=1000001", "page"),
        ("page=99999999999999999999", "page"),
        ("page_size=0", "page_size"),
        ("page_size=51", "page_size"),
        ("page_size=1.5", "page_size"),
    ],
)
def test_a_page_out_of_range_is_a_422_problem(client: Client, query: str, field: str) -> None:
    problem = problem_of(client.get(f"/api/v1/cupcakes?{query}"), 422)

    assert [error["field"] for error in problem["errors"]] == [field]


def test_the_last_page_there_can_be_answers_empty(client: Client) -> None:
    bake_named(client, "a")

    page = client.get("/api/v1/cupcakes?page=1000000&page_size=50")

    assert page.status_code == 200
    assert page.json()["items"] == []


@pytest.mark.parametrize("query", ["sort=name", "page=1&limit=5", "page=1&page=2"])
def test_an_unknown_or_repeated_gallery_parameter_is_a_400_problem(
    client: Client, query: str
) -> None:
    problem_of(client.get(f"/api/v1/cupcakes?{query}"), 400)


def test_a_cupcake_is_read_with_an_etag_and_304s_when_unchanged(client: Client) -> None:
    [cupcake_id] = bake_named(client, "a")
    read = client.get(f"/api/v1/cupcakes/{cupcake_id}")

    again = client.get(f"/api/v1/cupcakes/{cupcake_id}", headers={"If-None-Match": read["ETag"]})

    assert read.status_code == 200
    assert read["ETag"].startswith('"')
    assert again.status_code == 304
    assert again.content == b""


@pytest.mark.parametrize(
    "forged",
    [
        "not-a-uuid",
        "12345",
        str(uuid.UUID(int=0)),
        "6f0c1e8e4b8a4a439a570e4e3f1d2c3b",
        "{6f0c1e8e-4b8a-4a43-9a57-0e4e3f1d2c3b}",
        "6f0c1e8e-4b8a-4a43-9a57-0e4e3f1d2c3b" + "0" * 200,
        "%00",
    ],
)
def test_a_forged_or_unknown_id_is_a_404_problem(client: Client, forged: str) -> None:
    problem_of(client.get(f"/api/v1/cupcakes/{forged}"), 404)


def test_only_the_canonical_spelling_of_an_id_names_a_cupcake(client: Client) -> None:
    [cupcake_id] = bake_named(client, "a")

    problem_of(client.get(f"/api/v1/cupcakes/{cupcake_id.upper()}"), 404)
    problem_of(client.get(f"/api/v1/cupcakes/{cupcake_id.replace('-', '')}"), 404)
