"""The OpenAPI document is valid, and real answers of every endpoint match it."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from openapi_core import Config, OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from openapi_spec_validator import validate as validate_spec
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from webtest import TestApp, TestResponse

from toppings.openapi import openapi_document

NEW = {"slug": "gum", "name": "Gum", "color": "#00ff00"}


def _json(value: bytes, **parameters: str) -> Any:
    return json.loads(value)


@pytest.fixture(scope="module")
def contract() -> OpenAPI:
    """openapi-core's view of the service's document (problem+json read as JSON)."""
    config = Config(
        extra_media_type_deserializers={
            "application/problem+json": _json,
            "image/svg+xml": lambda value, **parameters: value.decode(),
        }
    )
    return OpenAPI.from_dict(openapi_document(), config=config)


@pytest.fixture
def check(contract: OpenAPI) -> Callable[[TestResponse], None]:
    """Validate a WebTest response against the operation of the document it answers."""

    def validate(response: TestResponse) -> None:
        request = response.request
        mock_request = MockRequest(
            host_url="http://localhost",
            method=request.method,
            path=request.path,
            args=dict(request.GET),
            headers=dict(request.headers),
            # Only the answer is checked here: the app itself validates the requests.
        )
        mock_response = MockResponse(
            data=response.body,
            status_code=response.status_int,
            headers=dict(response.headers),
            content_type=response.content_type or "",
        )
        contract.validate_response(mock_request, mock_response)

    return validate


def test_the_document_is_valid_openapi() -> None:
    validate_spec(openapi_document())


def test_every_read_matches_the_document(
    testapp: TestApp, check: Callable[[TestResponse], None]
) -> None:
    for path in (
        "/api/v1/toppings",
        "/api/v1/toppings?slug=cherry,nope",
        "/api/v1/toppings/cherry",
        "/api/v1/toppings/cherry/image.svg",
        "/api/v1/openapi.json",
    ):
        first = testapp.get(path)
        check(first)
        check(testapp.get(path, headers={"If-None-Match": first.headers["ETag"]}, status=304))
    check(testapp.get("/api/v1/toppings?slug=Bad", status=422))
    check(testapp.get("/api/v1/toppings/nope", status=404))
    check(testapp.get("/api/v1/toppings/nope/image.svg", status=404))


def test_every_write_matches_the_document(
    testapp: TestApp, admin: dict[str, str], check: Callable[[TestResponse], None]
) -> None:
    check(testapp.post_json("/api/v1/toppings", NEW, headers=admin, status=201))
    check(testapp.post_json("/api/v1/toppings", NEW, headers=admin, status=409))
    check(testapp.post_json("/api/v1/toppings", {"slug": "x"}, headers=admin, status=422))
    check(testapp.post_json("/api/v1/toppings", NEW, status=401))
    check(
        testapp.post(
            "/api/v1/toppings", b"{", headers=admin, content_type="application/json", status=400
        )
    )
    check(testapp.post("/api/v1/toppings", b"a=b", headers=admin, status=415))
    big = {**NEW, "description": "x" * 70_000}
    check(testapp.post_json("/api/v1/toppings", big, headers=admin, status=413))
    check(
        testapp.put_json("/api/v1/toppings/gum", {"name": "G", "color": "#000000"}, headers=admin)
    )
    check(
        testapp.put_json(
            "/api/v1/toppings/nope", {"name": "G", "color": "#000000"}, headers=admin, status=404
        )
    )
    check(testapp.patch_json("/api/v1/toppings/gum", {"name": "Gummy"}, headers=admin))
    check(testapp.patch_json("/api/v1/toppings/gum", {"color": "x"}, headers=admin, status=422))
    check(testapp.delete("/api/v1/toppings/gum", headers=admin, status=204))
    check(testapp.delete("/api/v1/toppings/gum", headers=admin, status=404))


def test_writes_refused_for_lack_of_a_configured_token_match_the_document(
    make_testapp: Callable[..., TestApp], check: Callable[[TestResponse], None]
) -> None:
    check(
        make_testapp(**{"toppings.admin_token": None}).post_json(
            "/api/v1/toppings", NEW, status=403
        )
    )


def test_health_answers_match_the_document(
    testapp: TestApp,
    check: Callable[[TestResponse], None],
    use_database: Callable[[str], None],
    unmigrated_database_url: str,
) -> None:
    check(testapp.get("/healthz"))
    check(testapp.get("/readyz"))
    use_database(unmigrated_database_url)
    check(testapp.get("/readyz", status=503))
    check(testapp.get("/api/v1/toppings/cherry", status=503))


def test_errors_outside_any_operation_are_problems_as_the_document_defines_them(
    testapp: TestApp,
) -> None:
    document = openapi_document()
    registry = Registry().with_resource(
        "urn:toppings", Resource.from_contents(document, default_specification=DRAFT202012)
    )
    problem = Draft202012Validator(
        {"$ref": "urn:toppings#/components/schemas/Problem"}, registry=registry
    )
    for response in (
        testapp.get("/nope", status=404),
        testapp.delete("/api/v1/toppings", status=405),
        testapp.get("/api/v1/toppings/%ff", status=400),
    ):
        assert response.content_type == "application/problem+json"
        problem.validate(response.json)


def test_a_read_answer_that_strays_from_the_document_is_a_500(
    testapp: TestApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Reads skip openapi-core's request validation; their answers are still checked.
    monkeypatch.setattr(
        "toppings.views.toppings.topping_json", lambda request, topping: {"slug": topping.slug}
    )
    testapp.get("/api/v1/toppings/cherry", status=500)
