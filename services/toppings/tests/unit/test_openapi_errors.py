"""Request validation by the OpenAPI document, and how its errors become problems."""

from __future__ import annotations

import json
from typing import Any

import pytest
from jsonschema_path import SchemaPath
from openapi_core.testing import MockRequest
from openapi_core.unmarshalling.request import V31RequestUnmarshaller

from toppings.openapi import MalformedBody, json_object_loads, openapi_document
from toppings.openapi_errors import request_errors_response

AUTH = {"Authorization": "Bearer s3cret"}


@pytest.fixture(scope="module")
def unmarshaller() -> V31RequestUnmarshaller:
    """The request unmarshaller of the service's OpenAPI document, with its JSON parser."""
    return V31RequestUnmarshaller(
        SchemaPath.from_dict(openapi_document()),
        extra_media_type_deserializers={"application/json": json_object_loads},
    )


def problem_for(unmarshaller: V31RequestUnmarshaller, request: MockRequest) -> dict[str, Any]:
    """Validate ``request`` and return the problem answer as status plus body."""
    errors = list(unmarshaller.unmarshal(request).errors)
    assert errors, "the request was expected to be refused"
    response = request_errors_response(errors)
    return {"status": response.status_code, **json.loads(response.body)}


def post(body: bytes, content_type: str = "application/json") -> MockRequest:
    """A POST to the toppings collection."""
    return MockRequest(
        "http://localhost",
        "post",
        "/api/v1/toppings",
        headers=AUTH,
        data=body,
        content_type=content_type,
    )


def test_a_valid_new_topping_passes(unmarshaller: V31RequestUnmarshaller) -> None:
    body = b'{"slug": "gum", "name": "Gum", "color": "#00ff00"}'
    result = unmarshaller.unmarshal(post(body))
    assert result.errors == []
    assert result.body == {"slug": "gum", "name": "Gum", "color": "#00ff00"}


def test_schema_violations_are_422_with_one_error_per_field(
    unmarshaller: V31RequestUnmarshaller,
) -> None:
    body = b'{"slug": "Not A Slug", "name": "", "color": "red", "price": 3}'
    problem = problem_for(unmarshaller, post(body))
    assert problem["status"] == 422
    assert problem["type"] == "urn:cupcake-lab:problem:invalid-input"
    assert {e["field"] for e in problem["errors"]} == {"slug", "name", "color", "price"}


def test_missing_fields_are_named_once_each(unmarshaller: V31RequestUnmarshaller) -> None:
    problem = problem_for(unmarshaller, post(b"{}"))
    assert problem["errors"] == [
        {"field": "slug", "message": "is required"},
        {"field": "name", "message": "is required"},
        {"field": "color", "message": "is required"},
    ]


def test_error_messages_do_not_echo_the_value(unmarshaller: V31RequestUnmarshaller) -> None:
    problem = problem_for(
        unmarshaller, post(b'{"slug": "SECRET-ish", "name": "x", "color": "#000000"}')
    )
    assert "SECRET-ish" not in json.dumps(problem)


def test_a_body_of_another_media_type_is_415(unmarshaller: V31RequestUnmarshaller) -> None:
    problem = problem_for(unmarshaller, post(b"slug=gum", content_type="text/plain"))
    assert problem["status"] == 415


def test_a_missing_body_is_400(unmarshaller: V31RequestUnmarshaller) -> None:
    assert problem_for(unmarshaller, post(b""))["status"] == 400


def test_a_malformed_slug_list_is_422_on_the_slug_parameter(
    unmarshaller: V31RequestUnmarshaller,
) -> None:
    request = MockRequest("http://localhost", "get", "/api/v1/toppings", args={"slug": "a,B"})
    problem = problem_for(unmarshaller, request)
    assert problem["status"] == 422
    assert problem["errors"][0]["field"] == "slug"
    assert problem["errors"][0]["message"].startswith("item 2 ")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{", "not valid JSON"),
        (b"[1, 2]", "must be a JSON object"),
        (b'"text"', "must be a JSON object"),
        (b"\xff\xfe", "not UTF-8"),
        (b"[" * 100_000, "not valid JSON"),
        (b'{"a": NaN}', "not valid JSON"),
        (b'{"name": "x\\ud800"}', "lone surrogate"),
        (b'{"\\udfff": "x"}', "lone surrogate"),
        (b'{"a": [{"b": "\\ud83c"}]}', "lone surrogate"),
    ],
)
def test_json_object_loads_refuses_anything_but_one_json_object(body: bytes, reason: str) -> None:
    with pytest.raises(MalformedBody, match=reason):
        json_object_loads(body)


def test_json_object_loads_parses_an_object() -> None:
    assert json_object_loads('{"name": "gâteau"}'.encode()) == {"name": "gâteau"}


def test_json_object_loads_joins_an_escaped_surrogate_pair() -> None:
    assert json_object_loads(b'{"name": "\\ud83c\\udf52"}') == {"name": "\U0001f352"}
