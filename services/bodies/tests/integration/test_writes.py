"""Catalogue writes through the real app: create, replace, change, delete."""

import json
from typing import Any

import pytest
from django.test import Client

from integration.helpers import catalogue_rows

pytestmark = pytest.mark.integration

RED_VELVET = {
    "slug": "red-velvet",
    "name": "Red Velvet",
    "description": "Cocoa and buttermilk, blushing red.",
    "color": "#A4243B",
}


def send(client: Client, method: str, path: str, payload: Any, **kwargs: Any) -> Any:
    """Send ``payload`` as JSON with ``method``."""
    return client.generic(
        method, path, data=json.dumps(payload), content_type="application/json", **kwargs
    )


def test_a_new_body_is_created_with_its_location(client: Client, auth: dict[str, str]) -> None:
    response = send(client, "POST", "/api/v1/bodies", RED_VELVET, headers=auth)

    assert response.status_code == 201
    assert response["Location"] == "http://127.0.0.1:8000/api/v1/bodies/red-velvet"
    assert response.json() == {
        **RED_VELVET,
        "color": "#a4243b",
        "image_url": "http://127.0.0.1:8000/api/v1/bodies/red-velvet/image.svg",
    }
    assert client.get("/api/v1/bodies/red-velvet").json()["name"] == "Red Velvet"


def test_a_new_body_gets_a_picture_drawn_from_its_colour(
    client: Client, auth: dict[str, str]
) -> None:
    send(client, "POST", "/api/v1/bodies", RED_VELVET, headers=auth)

    response = client.get("/api/v1/bodies/red-velvet/image.svg")

    assert response.status_code == 200
    assert b'stop-color="#a4243b"' in response.content


def test_a_new_body_takes_its_place_in_slug_order(client: Client, auth: dict[str, str]) -> None:
    for slug in ("banana", "choco-mint"):
        send(client, "POST", "/api/v1/bodies", {**RED_VELVET, "slug": slug}, headers=auth)

    slugs = [item["slug"] for item in client.get("/api/v1/bodies").json()["items"]]

    # Character by character on every database: a collation that skips hyphens (en_US, as
    # the PostgreSQL test databases have) would put chocolate first.
    assert slugs == ["banana", "carrot-cake", "choco-mint", "chocolate", "vanilla"]


def test_put_replaces_every_editable_field(client: Client, auth: dict[str, str]) -> None:
    response = send(
        client,
        "PUT",
        "/api/v1/bodies/vanilla",
        {"slug": "vanilla", "name": "Vanilla Bean", "color": "#FFF1CC"},
        headers=auth,
    )

    assert response.status_code == 200
    assert catalogue_rows()[-1] == ("vanilla", "Vanilla Bean", "", "#fff1cc")


def test_patch_changes_only_the_fields_given(client: Client, auth: dict[str, str]) -> None:
    before = dict(client.get("/api/v1/bodies/chocolate").json())

    response = send(
        client, "PATCH", "/api/v1/bodies/chocolate", {"description": "Darker."}, headers=auth
    )

    assert response.status_code == 200
    assert response.json() == {**before, "description": "Darker."}


def test_delete_removes_the_body(client: Client, auth: dict[str, str]) -> None:
    response = client.delete("/api/v1/bodies/carrot-cake", headers=auth)

    assert response.status_code == 204
    assert response.content == b""
    assert not response.has_header("Content-Type")
    assert client.get("/api/v1/bodies/carrot-cake").status_code == 404
    assert [row[0] for row in catalogue_rows()] == ["chocolate", "vanilla"]
