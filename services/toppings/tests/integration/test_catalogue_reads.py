"""Reading the catalogue: the seeded toppings, filters, details, pictures, caching."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from webtest import TestApp

from cupcake_chassis.conditional import etag_for
from toppings.caching import CATALOGUE_CACHE_CONTROL

from .conftest import PUBLIC
from .problem_checks import assert_problem

SEEDED = [
    {
        "slug": "cherry",
        "name": "Cherry",
        "description": "A glossy maraschino cherry on its stem, right on the peak.",
        "color": "#d7263d",
        "image_url": f"{PUBLIC}/api/v1/toppings/cherry/image.svg",
    },
    {
        "slug": "flag",
        "name": "Flag",
        "description": "A little paper flag on a cocktail stick, for celebrations.",
        "color": "#1d4ed8",
        "image_url": f"{PUBLIC}/api/v1/toppings/flag/image.svg",
    },
    {
        "slug": "sprinkles",
        "name": "Sprinkles",
        "description": "A rainbow shower of sugar strands scattered over the frosting.",
        "color": "#f472b6",
        "image_url": f"{PUBLIC}/api/v1/toppings/sprinkles/image.svg",
    },
]
READS = ["/api/v1/toppings", "/api/v1/toppings/cherry", "/api/v1/toppings/cherry/image.svg"]


def test_a_fresh_database_holds_the_seeded_catalogue_sorted_by_slug(testapp: TestApp) -> None:
    response = testapp.get("/api/v1/toppings")
    assert response.content_type == "application/json"
    assert response.json == {"items": SEEDED}


def test_the_slug_filter_returns_only_the_toppings_that_exist(testapp: TestApp) -> None:
    response = testapp.get("/api/v1/toppings?slug=sprinkles,nope,cherry")
    assert [item["slug"] for item in response.json["items"]] == ["cherry", "sprinkles"]


def test_the_slug_filter_with_only_unknown_slugs_returns_no_items(testapp: TestApp) -> None:
    assert testapp.get("/api/v1/toppings?slug=nope").json == {"items": []}


@pytest.mark.parametrize("query", ["slug=", "slug=Cherry", "slug=cherry,,flag", "slug=a%0A"])
def test_a_malformed_slug_list_is_invalid_input(testapp: TestApp, query: str) -> None:
    response = testapp.get(f"/api/v1/toppings?{query}", status=422)
    body = assert_problem(response, 422, type="urn:cupcake-lab:problem:invalid-input")
    assert body["errors"][0]["field"] == "slug"


def test_a_topping_is_read_by_slug(testapp: TestApp) -> None:
    assert testapp.get("/api/v1/toppings/flag").json == SEEDED[1]


def test_an_unknown_topping_is_404(testapp: TestApp) -> None:
    response = testapp.get("/api/v1/toppings/nope", status=404)
    assert_problem(response, 404, type="about:blank", detail="no topping 'nope'")


@pytest.mark.parametrize("slug", ["cherry", "flag", "sprinkles"])
def test_each_seeded_topping_has_its_svg_picture(testapp: TestApp, slug: str) -> None:
    response = testapp.get(f"/api/v1/toppings/{slug}/image.svg")
    assert response.headers["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(response.body)
    assert root.get("viewBox") == "0 0 200 200"
    assert next(item for item in SEEDED if item["slug"] == slug)["color"] in response.text


def test_the_picture_of_an_unknown_topping_is_404(testapp: TestApp) -> None:
    assert_problem(testapp.get("/api/v1/toppings/nope/image.svg", status=404), 404)


@pytest.mark.parametrize("slug", ["a%00b", "Cherry", "x" * 41])
@pytest.mark.parametrize("suffix", ["", "/image.svg"])
def test_what_is_no_slug_names_no_topping(testapp: TestApp, slug: str, suffix: str) -> None:
    # PostgreSQL refuses a NUL character in a query: such a slug must never get there.
    assert_problem(testapp.get(f"/api/v1/toppings/{slug}{suffix}", status=404), 404)


@pytest.mark.parametrize("path", READS)
def test_reads_carry_a_strong_etag_of_the_body_and_the_cache_policy(
    testapp: TestApp, path: str
) -> None:
    response = testapp.get(path)
    assert response.headers["ETag"] == etag_for(response.body)
    assert response.headers["Cache-Control"] == CATALOGUE_CACHE_CONTROL
    assert "stale-if-error" in response.headers["Cache-Control"]


@pytest.mark.parametrize("path", READS)
def test_a_matching_if_none_match_gets_an_empty_304(testapp: TestApp, path: str) -> None:
    etag = testapp.get(path).headers["ETag"]
    for header in (etag, f"W/{etag}", f'"stale", {etag}', "*"):
        response = testapp.get(path, headers={"If-None-Match": header}, status=304)
        assert response.body == b""
        assert response.headers["ETag"] == etag
        assert response.headers["Cache-Control"] == CATALOGUE_CACHE_CONTROL


def test_a_stale_if_none_match_gets_the_full_answer(testapp: TestApp) -> None:
    response = testapp.get("/api/v1/toppings", headers={"If-None-Match": '"stale"'}, status=200)
    assert len(response.json["items"]) == 3


def test_the_etag_changes_when_the_catalogue_changes(
    testapp: TestApp, admin: dict[str, str]
) -> None:
    before = testapp.get("/api/v1/toppings/cherry").headers["ETag"]
    testapp.patch_json("/api/v1/toppings/cherry", {"name": "Morello"}, headers=admin)
    testapp.get("/api/v1/toppings/cherry", headers={"If-None-Match": before}, status=200)


@pytest.mark.parametrize("path", READS)
def test_head_answers_the_headers_of_get_without_a_body(testapp: TestApp, path: str) -> None:
    get = testapp.get(path)
    head = testapp.head(path)
    assert head.status_int == 200
    assert head.body == b""
    assert head.headers["ETag"] == get.headers["ETag"]
    assert head.headers["Content-Type"] == get.headers["Content-Type"]
