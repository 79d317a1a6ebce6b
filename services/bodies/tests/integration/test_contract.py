"""Contract: the OpenAPI document is valid, and every answer of the service matches it."""

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from openapi_core import Config, OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse
from openapi_core.testing import MockRequest
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate
from pytest_django import Settings

pytestmark = pytest.mark.integration

NEW = {"slug": "lemon", "name": "Lemon", "color": "#f7e36b"}


@dataclass(frozen=True)
class Call:
    """One request of the contract test and the status it must get."""

    method: str
    path: str
    status: int
    payload: Any = None
    raw: str | None = None
    content_type: str = "application/json"
    token: str | None = "admin"
    headers: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status}"


CALLS = [
    Call("GET", "/", 200),
    Call("GET", "/healthz", 200),
    Call("GET", "/readyz", 200),
    Call("GET", "/api/v1/bodies", 200),
    Call("GET", "/api/v1/bodies/vanilla", 200),
    Call("GET", "/api/v1/bodies/lemon", 404),
    Call("GET", "/api/v1/bodies/vanilla/image.svg", 200),
    Call("GET", "/api/v1/bodies/lemon/image.svg", 404),
    Call("POST", "/api/v1/bodies", 201, NEW),
    Call("POST", "/api/v1/bodies", 409, {**NEW, "slug": "vanilla"}),
    Call("POST", "/api/v1/bodies", 422, {"name": ""}),
    Call("POST", "/api/v1/bodies", 400, raw="[1, 2]"),
    Call("POST", "/api/v1/bodies", 415, raw="slug=lemon", content_type="text/plain"),
    Call("POST", "/api/v1/bodies", 413, {**NEW, "description": "x" * 70_000}),
    Call("POST", "/api/v1/bodies", 401, NEW, token=None),
    Call("POST", "/api/v1/bodies", 403, NEW, token="unset"),
    Call("PUT", "/api/v1/bodies/vanilla", 200, {"name": "Vanilla", "color": "#ffffff"}),
    Call("PUT", "/api/v1/bodies/lemon", 404, {"name": "Lemon", "color": "#ffffff"}),
    Call("PUT", "/api/v1/bodies/vanilla", 422, {"name": "Vanilla"}),
    Call("PATCH", "/api/v1/bodies/vanilla", 200, {"description": "Plain."}),
    Call("PATCH", "/api/v1/bodies/lemon", 404, {"description": "Plain."}),
    Call("PATCH", "/api/v1/bodies/vanilla", 401, {"description": "Plain."}, token="wrong"),
    Call("DELETE", "/api/v1/bodies/vanilla", 204),
    Call("DELETE", "/api/v1/bodies/lemon", 404),
    Call("DELETE", "/api/v1/bodies/vanilla", 401, token=None),
]


@pytest.fixture(scope="module")
def openapi_document() -> dict[str, Any]:
    """The OpenAPI document as the service serves it (it needs no database)."""
    document: dict[str, Any] = Client().get("/api/v1/openapi.json").json()
    return document


@pytest.fixture(scope="module")
def openapi(openapi_document: dict[str, Any]) -> OpenAPI:
    """openapi-core's validator for the document, reading problems as JSON and SVG as text."""
    deserializers = {"application/problem+json": json.loads, "image/svg+xml": bytes.decode}
    return OpenAPI.from_dict(
        openapi_document, config=Config(extra_media_type_deserializers=deserializers)
    )


def perform(client: Client, call: Call, admin_token: str, settings: Settings) -> Any:
    """Send ``call`` through the real app."""
    headers = dict(call.headers)
    if call.token == "unset":
        settings.CUPCAKE_ADMIN_TOKEN = None
        headers["Authorization"] = "Bearer anything"
    elif call.token == "admin":
        headers["Authorization"] = f"Bearer {admin_token}"
    elif call.token:
        headers["Authorization"] = f"Bearer {call.token}"
    data = call.raw if call.raw is not None else json.dumps(call.payload)
    if call.payload is None and call.raw is None:
        return client.generic(call.method, call.path, headers=headers)
    return client.generic(
        call.method, call.path, data=data, content_type=call.content_type, headers=headers
    )


def answered(call: Call) -> MockRequest:
    """The request side of a response check: method and path only.

    Django's own request cannot stand in here for a refused over-sized body, whose
    body Django will not read, by design.
    """
    return MockRequest("http://testserver", call.method.lower(), call.path)


def test_the_openapi_document_is_valid_openapi_3(openapi_document: dict[str, Any]) -> None:
    validate(openapi_document)

    assert openapi_document["openapi"].startswith("3.")


def test_the_document_describes_every_endpoint(openapi_document: dict[str, Any]) -> None:
    operations = {
        (method.upper(), path)
        for path, item in openapi_document["paths"].items()
        for method in item
    }

    assert operations == {
        ("GET", "/"),
        ("GET", "/healthz"),
        ("GET", "/readyz"),
        ("GET", "/api/v1/bodies"),
        ("POST", "/api/v1/bodies"),
        ("GET", "/api/v1/bodies/{slug}"),
        ("PUT", "/api/v1/bodies/{slug}"),
        ("PATCH", "/api/v1/bodies/{slug}"),
        ("DELETE", "/api/v1/bodies/{slug}"),
        ("GET", "/api/v1/bodies/{slug}/image.svg"),
    }


@pytest.mark.parametrize("call", CALLS, ids=str)
def test_every_answer_matches_the_document(
    client: Client, openapi: OpenAPI, admin_token: str, settings: Settings, call: Call
) -> None:
    response = perform(client, call, admin_token, settings)

    assert response.status_code == call.status, response.content[:300]
    openapi.validate_response(answered(call), DjangoOpenAPIResponse(response))
    if call.status < 300:
        openapi.validate_request(DjangoOpenAPIRequest(response.wsgi_request))


@pytest.mark.parametrize(
    "path", ["/api/v1/bodies", "/api/v1/bodies/chocolate", "/api/v1/bodies/chocolate/image.svg"]
)
def test_not_modified_answers_match_the_document(
    client: Client, openapi: OpenAPI, path: str
) -> None:
    etag = client.get(path)["ETag"]

    response = client.get(path, headers={"If-None-Match": etag})

    assert response.status_code == 304
    openapi.validate_response(
        DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response)
    )


def test_readyz_503_matches_the_document(openapi: OpenAPI, unmigrated_database: Path) -> None:
    response = Client().get("/readyz")

    assert response.status_code == 503
    openapi.validate_response(
        DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response)
    )


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/nowhere", 404), ("DELETE", "/api/v1/bodies", 405), ("POST", "/healthz", 405)],
)
def test_answers_outside_the_operations_are_documented_problems(
    client: Client, openapi_document: dict[str, Any], method: str, path: str, status: int
) -> None:
    response = client.generic(method, path)

    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    OAS31Validator(openapi_document["components"]["schemas"]["Problem"]).validate(response.json())
