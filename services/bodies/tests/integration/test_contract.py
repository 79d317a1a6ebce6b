"""Contract: the OpenAPI document is valid, and every answer of the service matches it."""

import json
from collections.abc import Callable
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

from fakes import FakePeers
from integration.helpers import as_response

pytestmark = pytest.mark.integration

NEW = {"slug": "lemon", "name": "Lemon", "color": "#f7e36b"}
CUPCAKE = {"body": "vanilla", "frosting": "strawberry", "topping": "cherry"}


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
    Call("GET", "/api/v1/cupcake", 200),
    Call("GET", "/api/v1/cupcake?body=vanilla&frosting=strawberry&topping=cherry", 200),
    Call("GET", "/api/v1/cupcake?body=vanilla&colour=red", 400),
    Call("GET", "/api/v1/cupcake?body=Vanilla!", 422),
    Call("GET", "/api/v1/cupcake?body=carrot-cake&frosting=neon-blue", 422),
    Call("GET", "/api/v1/cupcake?body=sponge", 422),
    Call("POST", "/api/v1/cupcakes", 201, CUPCAKE, token=None),
    Call("POST", "/api/v1/cupcakes", 201, CUPCAKE, headers={"Idempotency-Key": "k-1"}),
    Call("POST", "/api/v1/cupcakes", 422, {**CUPCAKE, "topping": "sprinkles"}),
    Call("POST", "/api/v1/cupcakes", 422, {**CUPCAKE, "topping": "gum"}),
    Call("POST", "/api/v1/cupcakes", 422, {**CUPCAKE, "name": "x" * 61}),
    Call("POST", "/api/v1/cupcakes", 400, CUPCAKE, headers={"Idempotency-Key": ""}),
    Call("POST", "/api/v1/cupcakes", 400, raw="{"),
    Call("POST", "/api/v1/cupcakes", 415, raw="body=vanilla", content_type="text/plain"),
    Call("POST", "/api/v1/cupcakes", 413, {**CUPCAKE, "name": "x" * 70_000}),
    Call("GET", "/api/v1/cupcakes", 200),
    Call("GET", "/api/v1/cupcakes?page=2&page_size=1", 200),
    Call("GET", "/api/v1/cupcakes?page=0", 422),
    Call("GET", "/api/v1/cupcakes?page=200659429252949103687499776", 422),
    Call("GET", "/api/v1/cupcakes?sort=name", 400),
    Call("GET", "/api/v1/cupcakes/not-a-uuid", 404),
    Call("GET", "/api/v1/cupcakes/6f0c1e8e-4b8a-4a43-9a57-0e4e3f1d2c3b", 404),
    Call("GET", "/api/v1/traces/" + "e" * 32, 404),
    Call("GET", "/api/v1/traces/not-a-trace-id", 422),
    # The chaos drawer's API is there only in a lab with chaos enabled.
    Call("GET", "/api/v1/lab/chaos", 404),
    Call("PUT", "/api/v1/lab/chaos/toppings", 404, {"down": True}),
]
CHAOS_CALLS = [
    Call("GET", "/api/v1/lab/chaos", 200),
    Call("PUT", "/api/v1/lab/chaos/bodies", 200, {"latency_ms": 100}),
    Call("PUT", "/api/v1/lab/chaos/toppings", 200, {"down": True, "error_rate": 0.5}),
    Call("PUT", "/api/v1/lab/chaos/frostings", 422, {"error_rate": 3}),
    Call("PUT", "/api/v1/lab/chaos/sprinkles", 404, {"down": True}),
    Call("PUT", "/api/v1/lab/chaos/bodies", 415, raw="down=1", content_type="text/plain"),
    Call("PUT", "/api/v1/lab/chaos/bodies", 400, raw="[]"),
]


@pytest.fixture(scope="module")
def openapi_document() -> dict[str, Any]:
    """The OpenAPI document as the service serves it (it needs no database)."""
    document: dict[str, Any] = Client().get("/api/v1/openapi.json").json()
    return document


@pytest.fixture(scope="module")
def openapi(openapi_document: dict[str, Any]) -> OpenAPI:
    """openapi-core's validator for the document, reading problems as JSON and SVG as text."""
    deserializers: dict[str, Callable[[bytes], Any]] = {
        "application/problem+json": json.loads,
        "image/svg+xml": bytes.decode,
    }
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
    return MockRequest("http://testserver", call.method.lower(), call.path.partition("?")[0])


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
        ("GET", "/healthz"),
        ("GET", "/readyz"),
        ("GET", "/api/v1/bodies"),
        ("POST", "/api/v1/bodies"),
        ("GET", "/api/v1/bodies/{slug}"),
        ("PUT", "/api/v1/bodies/{slug}"),
        ("PATCH", "/api/v1/bodies/{slug}"),
        ("DELETE", "/api/v1/bodies/{slug}"),
        ("GET", "/api/v1/bodies/{slug}/image.svg"),
        ("GET", "/api/v1/cupcake"),
        ("POST", "/api/v1/cupcakes"),
        ("GET", "/api/v1/cupcakes"),
        ("GET", "/api/v1/cupcakes/{cupcake_id}"),
        ("GET", "/api/v1/lab/chaos"),
        ("PUT", "/api/v1/lab/chaos/{service}"),
        ("GET", "/api/v1/traces/{trace_id}"),
    }


@pytest.mark.parametrize("name", ["body", "frosting", "topping"])
def test_an_empty_choice_is_documented_as_none(
    client: Client, fake_peers: FakePeers, openapi_document: dict[str, Any], name: str
) -> None:
    parameters = openapi_document["paths"]["/api/v1/cupcake"]["get"]["parameters"]
    (parameter,) = [parameter for parameter in parameters if parameter["name"] == name]

    assert OAS31Validator(parameter["schema"]).is_valid("")
    assert client.get(f"/api/v1/cupcake?{name}=").json()[name] is None


@pytest.mark.parametrize(
    ("key", "valid"),
    [
        ("k-1", True),
        ("~ !", True),
        ("x" * 255, True),
        ("", False),
        ("x" * 256, False),
        ("é", False),
    ],
)
def test_the_idempotency_key_is_documented_as_it_is_checked(
    openapi_document: dict[str, Any], key: str, valid: bool
) -> None:
    (parameter,) = openapi_document["paths"]["/api/v1/cupcakes"]["post"]["parameters"]
    assert parameter["name"] == "Idempotency-Key"

    assert OAS31Validator(parameter["schema"]).is_valid(key) is valid


@pytest.mark.parametrize("call", CALLS, ids=str)
def test_every_answer_matches_the_document(
    client: Client,
    openapi: OpenAPI,
    admin_token: str,
    settings: Settings,
    fake_peers: FakePeers,
    call: Call,
) -> None:
    response = perform(client, call, admin_token, settings)

    assert response.status_code == call.status, response.content[:300]
    openapi.validate_response(answered(call), DjangoOpenAPIResponse(as_response(response)))
    if call.status < 300:
        openapi.validate_request(DjangoOpenAPIRequest(response.wsgi_request))


@pytest.mark.parametrize("call", CHAOS_CALLS, ids=str)
def test_every_chaos_drawer_answer_matches_the_document(
    client: Client,
    openapi: OpenAPI,
    admin_token: str,
    settings: Settings,
    fake_peers: FakePeers,
    tmp_path: Path,
    call: Call,
) -> None:
    settings.CUPCAKE_CHAOS = True
    settings.STATE_DIR = tmp_path

    response = perform(client, call, admin_token, settings)

    assert response.status_code == call.status, response.content[:300]
    openapi.validate_response(answered(call), DjangoOpenAPIResponse(as_response(response)))
    if call.status < 300:
        openapi.validate_request(DjangoOpenAPIRequest(response.wsgi_request))


def test_a_chaos_drawer_503_matches_the_document(
    client: Client, openapi: OpenAPI, admin_token: str, fake_peers: FakePeers, settings: Settings
) -> None:
    settings.CUPCAKE_CHAOS = True
    fake_peers.set("frostings", "down")
    call = Call("PUT", "/api/v1/lab/chaos/frostings", 503, {"down": True})

    response = perform(client, call, admin_token, settings)

    assert response.status_code == 503
    openapi.validate_response(answered(call), DjangoOpenAPIResponse(as_response(response)))


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
        DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(as_response(response))
    )


def test_readyz_503_matches_the_document(openapi: OpenAPI, unmigrated_database: str) -> None:
    response = Client().get("/readyz")

    assert response.status_code == 503
    openapi.validate_response(
        DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(as_response(response))
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


def test_composition_with_a_peer_down_matches_the_document(
    client: Client, openapi: OpenAPI, fake_peers: FakePeers
) -> None:
    fake_peers.set("toppings", "down")

    response = client.get("/api/v1/cupcake?body=vanilla&frosting=strawberry&topping=cherry")

    assert response.json()["services"]["toppings"]["status"] == "unavailable"
    openapi.validate_response(
        DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(as_response(response))
    )


def test_a_bake_while_a_rule_owner_is_down_matches_the_document(
    client: Client, openapi: OpenAPI, fake_peers: FakePeers
) -> None:
    fake_peers.set("frostings", "timeout")

    response = client.post("/api/v1/cupcakes", CUPCAKE, content_type="application/json")

    assert response.status_code == 503
    openapi.validate_response(
        MockRequest("http://testserver", "post", "/api/v1/cupcakes"),
        DjangoOpenAPIResponse(as_response(response)),
    )


def test_a_cupcake_its_replay_and_its_304_match_the_document(
    client: Client, openapi: OpenAPI, fake_peers: FakePeers
) -> None:
    key = {"Idempotency-Key": "contract"}
    baked = client.post("/api/v1/cupcakes", CUPCAKE, content_type="application/json", headers=key)
    replayed = client.post(
        "/api/v1/cupcakes", CUPCAKE, content_type="application/json", headers=key
    )
    read = client.get(baked["Location"].removeprefix("http://127.0.0.1:8000"))
    not_modified = client.get(read.wsgi_request.path, headers={"If-None-Match": read["ETag"]})

    assert [
        baked.status_code,
        replayed.status_code,
        read.status_code,
        not_modified.status_code,
    ] == [
        201,
        201,
        200,
        304,
    ]
    for response in (baked, replayed, read, not_modified):
        openapi.validate_response(
            DjangoOpenAPIRequest(response.wsgi_request),
            DjangoOpenAPIResponse(as_response(response)),
        )
