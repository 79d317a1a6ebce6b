"""The OpenAPI document is valid, and the real answers of every endpoint match it."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from apiflask import APIFlask
from flask.testing import FlaskClient
from openapi_core import Config, OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from openapi_spec_validator import validate
from werkzeug.test import EnvironBuilder, TestResponse

from frostings import create_app

NEW = {"slug": "lemon-zest", "name": "Lemon Zest", "color": "#ffe066", "toppings": ["cherry"]}
TOKEN = {"Authorization": "Bearer test-admin-token"}

# id -> (method, path, request keywords, failing peer or None, expected status, valid request)
CASES: dict[str, tuple[str, str, dict[str, Any], str | None, int, bool]] = {
    "list": ("GET", "/api/v1/frostings", {}, None, 200, True),
    "list by body": ("GET", "/api/v1/frostings?body=carrot-cake", {}, None, 200, True),
    "list bad filter": ("GET", "/api/v1/frostings?body=Nope", {}, None, 422, False),
    "detail": ("GET", "/api/v1/frostings/vanilla", {}, None, 200, True),
    "detail unknown": ("GET", "/api/v1/frostings/lemon", {}, None, 404, True),
    "image": ("GET", "/api/v1/frostings/vanilla/image.svg", {}, None, 200, True),
    "image unknown": ("GET", "/api/v1/frostings/lemon/image.svg", {}, None, 404, True),
    "toppings": ("GET", "/api/v1/frostings/vanilla/toppings", {}, None, 200, True),
    "toppings degraded": ("GET", "/api/v1/frostings/vanilla/toppings", {}, "toppings", 200, True),
    "toppings unknown": ("GET", "/api/v1/frostings/lemon/toppings", {}, None, 404, True),
    "create": ("POST", "/api/v1/frostings", {"json": NEW, "headers": TOKEN}, None, 201, True),
    "create no token": ("POST", "/api/v1/frostings", {"json": NEW}, None, 401, False),
    "create not json": (
        "POST",
        "/api/v1/frostings",
        {"data": "x", "content_type": "text/plain", "headers": TOKEN},
        None,
        415,
        False,
    ),
    "create too large": (
        "POST",
        "/api/v1/frostings",
        {"json": {**NEW, "description": "x" * 70_000}, "headers": TOKEN},
        None,
        413,
        False,
    ),
    "create not an object": (
        "POST",
        "/api/v1/frostings",
        {"json": [1], "headers": TOKEN},
        None,
        400,
        False,
    ),
    "create invalid": (
        "POST",
        "/api/v1/frostings",
        {"json": {"slug": "X"}, "headers": TOKEN},
        None,
        422,
        False,
    ),
    "create taken": (
        "POST",
        "/api/v1/frostings",
        {"json": {**NEW, "slug": "vanilla"}, "headers": TOKEN},
        None,
        409,
        True,
    ),
    "create rule": (
        "POST",
        "/api/v1/frostings",
        {"json": {**NEW, "toppings": ["sprinkles"]}, "headers": TOKEN},
        None,
        422,
        True,
    ),
    "create unknown ref": (
        "POST",
        "/api/v1/frostings",
        {"json": {**NEW, "toppings": ["glitter"]}, "headers": TOKEN},
        None,
        422,
        True,
    ),
    "create owner down": (
        "POST",
        "/api/v1/frostings",
        {"json": NEW, "headers": TOKEN},
        "toppings",
        503,
        True,
    ),
    "replace": (
        "PUT",
        "/api/v1/frostings/vanilla",
        {"json": {"name": "V", "color": "#ffffff", "bodies": ["vanilla"]}, "headers": TOKEN},
        None,
        200,
        True,
    ),
    "replace unknown": (
        "PUT",
        "/api/v1/frostings/lemon",
        {"json": {"name": "L", "color": "#ffffff"}, "headers": TOKEN},
        None,
        404,
        True,
    ),
    "replace owner down": (
        "PUT",
        "/api/v1/frostings/vanilla",
        {"json": {"name": "V", "color": "#ffffff", "bodies": ["vanilla"]}, "headers": TOKEN},
        "bodies",
        503,
        True,
    ),
    "change": (
        "PATCH",
        "/api/v1/frostings/vanilla",
        {"json": {"name": "V"}, "headers": TOKEN},
        None,
        200,
        True,
    ),
    "change invalid": (
        "PATCH",
        "/api/v1/frostings/vanilla",
        {"json": {"color": "x"}, "headers": TOKEN},
        None,
        422,
        False,
    ),
    "remove": ("DELETE", "/api/v1/frostings/vanilla", {"headers": TOKEN}, None, 204, True),
    "remove no token": ("DELETE", "/api/v1/frostings/vanilla", {}, None, 401, False),
    "remove unknown": ("DELETE", "/api/v1/frostings/lemon", {"headers": TOKEN}, None, 404, True),
    "healthz": ("GET", "/healthz", {}, None, 200, True),
    "readyz": ("GET", "/readyz", {}, None, 200, True),
}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    """The OpenAPI document the service serves (it does not depend on the database)."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    response = app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.get_json()
    return document


@pytest.fixture(scope="module")
def openapi(spec: dict[str, Any]) -> OpenAPI:
    """The served document, loaded by openapi-core to validate real traffic."""
    # openapi-core only knows a few media types; these two are JSON and text.
    deserializers: dict[str, Callable[[bytes], Any]] = {
        "application/problem+json": json.loads,
        "image/svg+xml": bytes.decode,
    }
    return OpenAPI.from_dict(spec, config=Config(extra_media_type_deserializers=deserializers))


def _check(
    openapi: OpenAPI,
    response: TestResponse,
    method: str,
    path: str,
    *,
    valid_request: bool,
    **keywords: Any,
) -> None:
    # The test client's request has been read already: rebuild it to show it to openapi-core.
    request = WerkzeugOpenAPIRequest(EnvironBuilder(path, method=method, **keywords).get_request())
    if valid_request:
        openapi.validate_request(request)
    openapi.validate_response(request, WerkzeugOpenAPIResponse(response))


def test_the_document_is_valid_openapi_3(spec: dict[str, Any]) -> None:
    validate(spec)
    assert spec["openapi"].startswith("3.")
    assert spec["paths"].keys() >= {
        "/api/v1/frostings",
        "/api/v1/frostings/{slug}",
        "/api/v1/frostings/{slug}/image.svg",
        "/api/v1/frostings/{slug}/toppings",
        "/healthz",
        "/readyz",
    }


def test_every_error_is_documented_as_problem_json(spec: dict[str, Any]) -> None:
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for status, answer in operation["responses"].items():
                if status.startswith(("4", "5")) and path != "/readyz":
                    assert list(answer["content"]) == ["application/problem+json"], (
                        method,
                        path,
                        status,
                    )


def test_every_request_body_is_documented_as_required(spec: dict[str, Any]) -> None:
    bodies = [
        (method, path, operation["requestBody"])
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation
    ]
    assert {(method, path) for method, path, _ in bodies} == {
        ("post", "/api/v1/frostings"),
        ("put", "/api/v1/frostings/{slug}"),
        ("patch", "/api/v1/frostings/{slug}"),
    }
    assert all(body["required"] is True for _, _, body in bodies)


@pytest.mark.parametrize("case", list(CASES))
def test_a_real_answer_matches_the_document(
    client: FlaskClient, openapi: OpenAPI, peers_fake: Any, case: str
) -> None:
    method, path, keywords, failing, status, valid_request = CASES[case]
    if failing:
        peers_fake.fail(failing, "down")
    response = client.open(path, method=method, **keywords)
    assert response.status_code == status
    _check(openapi, response, method, path, valid_request=valid_request, **keywords)


def test_a_degraded_answer_from_stale_details_matches_the_document(
    client: FlaskClient, openapi: OpenAPI, peers_fake: Any
) -> None:
    path = "/api/v1/frostings/vanilla/toppings"
    peers_fake.cache_control = "public, max-age=0, stale-if-error=300"
    client.get(path)
    peers_fake.fail("toppings", "down")
    response = client.get(path)
    assert response.get_json()["stale"] is True
    _check(openapi, response, "GET", path, valid_request=True)


def test_the_stale_flag_is_documented(spec: dict[str, Any]) -> None:
    properties = spec["components"]["schemas"]["FrostingToppings"]["properties"]
    assert properties["stale"]["type"] == "boolean"
    assert "last good answer" in properties["stale"]["description"]


@pytest.mark.parametrize("path", ["/api/v1/frostings", "/api/v1/frostings/vanilla/image.svg"])
def test_a_304_matches_the_document(client: FlaskClient, openapi: OpenAPI, path: str) -> None:
    headers = {"If-None-Match": client.get(path).headers["ETag"]}
    response = client.get(path, headers=headers)
    assert response.status_code == 304
    _check(openapi, response, "GET", path, valid_request=True, headers=headers)


def test_403_matches_the_document(make_app: Callable[..., APIFlask], openapi: OpenAPI) -> None:
    client = make_app(CUPCAKE_ADMIN_TOKEN=None).test_client()
    forbidden = client.post("/api/v1/frostings", json=NEW, headers=TOKEN)
    assert forbidden.status_code == 403
    _check(
        openapi, forbidden, "POST", "/api/v1/frostings", valid_request=True, json=NEW, headers=TOKEN
    )


def test_not_ready_matches_the_document(
    make_app: Callable[..., APIFlask], openapi: OpenAPI
) -> None:
    empty = make_app()
    not_ready = empty.test_client().get("/readyz")
    assert not_ready.status_code == 503
    _check(openapi, not_ready, "GET", "/readyz", valid_request=True)
