"""Changing the catalogue with the admin token: create, replace, update, delete."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from webtest import TestApp

from .conftest import PUBLIC, Row
from .problem_checks import assert_problem

GUM = {"slug": "gum-drop", "name": "Gum Drop", "description": "Chewy.", "color": "#22C55E"}


def test_create_answers_201_with_location_and_stores_the_topping(
    testapp: TestApp, admin: dict[str, str], stored_rows: Callable[[], list[Row]]
) -> None:
    response = testapp.post_json("/api/v1/toppings", GUM, headers=admin, status=201)
    assert response.headers["Location"] == f"{PUBLIC}/api/v1/toppings/gum-drop"
    assert response.json == {
        **GUM,
        "color": "#22c55e",
        "image_url": f"{PUBLIC}/api/v1/toppings/gum-drop/image.svg",
    }
    assert ("gum-drop", "Gum Drop", "Chewy.", "#22c55e") in stored_rows()
    assert testapp.get("/api/v1/toppings/gum-drop").json == response.json


def test_a_created_topping_gets_a_picture_drawn_from_its_colour(
    testapp: TestApp, admin: dict[str, str]
) -> None:
    testapp.post_json("/api/v1/toppings", GUM, headers=admin, status=201)
    picture = testapp.get("/api/v1/toppings/gum-drop/image.svg")
    assert "#22c55e" in picture.text
    assert picture.text != testapp.get("/api/v1/toppings/cherry/image.svg").text


def test_create_without_description_stores_an_empty_one(
    testapp: TestApp, admin: dict[str, str]
) -> None:
    body = {"slug": "plain", "name": "Plain", "color": "#000000"}
    assert testapp.post_json("/api/v1/toppings", body, headers=admin).json["description"] == ""


def test_a_taken_slug_is_409_conflict_and_the_original_is_kept(
    testapp: TestApp, admin: dict[str, str], stored_rows: Callable[[], list[Row]]
) -> None:
    before = stored_rows()
    body = {"slug": "cherry", "name": "Impostor", "color": "#000000"}
    response = testapp.post_json("/api/v1/toppings", body, headers=admin, status=409)
    assert_problem(response, 409, type="urn:cupcake-lab:problem:conflict")
    assert stored_rows() == before


def test_put_replaces_the_editable_fields(
    testapp: TestApp, admin: dict[str, str], stored_rows: Callable[[], list[Row]]
) -> None:
    body = {"name": "Morello", "color": "#550011"}
    response = testapp.put_json("/api/v1/toppings/cherry", body, headers=admin, status=200)
    assert response.json["description"] == ""
    assert ("cherry", "Morello", "", "#550011") in stored_rows()


def test_put_accepts_the_topping_as_it_was_read(testapp: TestApp, admin: dict[str, str]) -> None:
    as_read = testapp.get("/api/v1/toppings/flag").json
    edited = {key: as_read[key] for key in ("slug", "name", "description", "color")}
    edited["name"] = "Pennant"
    assert (
        testapp.put_json("/api/v1/toppings/flag", edited, headers=admin).json["name"] == "Pennant"
    )


def test_patch_changes_only_the_given_fields(
    testapp: TestApp, admin: dict[str, str], stored_rows: Callable[[], list[Row]]
) -> None:
    testapp.patch_json("/api/v1/toppings/flag", {"color": "#FF0000"}, headers=admin, status=200)
    flag = next(row for row in stored_rows() if row[0] == "flag")
    assert flag[1:] == (
        "Flag",
        "A little paper flag on a cocktail stick, for celebrations.",
        "#ff0000",
    )


def test_delete_answers_204_and_removes_the_topping(
    testapp: TestApp, admin: dict[str, str], stored_rows: Callable[[], list[Row]]
) -> None:
    response = testapp.delete("/api/v1/toppings/flag", headers=admin, status=204)
    assert response.body == b""
    assert [row[0] for row in stored_rows()] == ["cherry", "sprinkles"]
    testapp.get("/api/v1/toppings/flag", status=404)


@pytest.mark.parametrize("slug", ["nope", "a%00b", "Cherry"])
def test_changing_an_unknown_topping_is_404_and_writes_nothing(
    testapp: TestApp, admin: dict[str, str], stored_rows: Callable[[], list[Row]], slug: str
) -> None:
    before = stored_rows()
    body = {"name": "Ghost", "color": "#000000"}
    path = f"/api/v1/toppings/{slug}"
    assert_problem(testapp.put_json(path, body, headers=admin, status=404), 404)
    assert_problem(testapp.patch_json(path, body, headers=admin, status=404), 404)
    assert_problem(testapp.delete(path, headers=admin, status=404), 404)
    assert stored_rows() == before


def test_a_new_topping_takes_its_place_in_slug_order(
    testapp: TestApp, admin: dict[str, str]
) -> None:
    for slug in ("chocolate", "choco-mint"):
        testapp.post_json("/api/v1/toppings", {**GUM, "slug": slug}, headers=admin, status=201)

    slugs = [item["slug"] for item in testapp.get("/api/v1/toppings").json["items"]]

    # Character by character on every database: a collation that skips hyphens (en_US, as
    # the PostgreSQL test databases have) would put chocolate first.
    assert slugs == ["cherry", "choco-mint", "chocolate", "flag", "sprinkles"]
