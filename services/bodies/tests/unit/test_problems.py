"""Problem details (RFC 9457) and their declaration in the OpenAPI document."""

import json
from typing import Any

import pytest

from bodies.core.api_errors import field_errors, field_name
from bodies.core.problem_schemas import problem_media_types_apply
from bodies.core.problems import Conflict, InvalidInput, Unauthorized, problem_response
from cupcake_chassis.problems import PROBLEM_MEDIA_TYPE, FieldError

pytestmark = pytest.mark.unit


def test_a_problem_response_is_problem_json_with_its_status_and_headers() -> None:
    response = problem_response(status=405, detail="no", headers={"Allow": "GET"})

    assert response.status_code == 405
    assert response["Content-Type"] == PROBLEM_MEDIA_TYPE
    assert response["Allow"] == "GET"
    assert json.loads(response.content)["status"] == 405


def test_the_labs_own_kinds_have_urn_types() -> None:
    payload = json.loads(Conflict("taken").to_response().content)

    assert payload == {
        "type": "urn:cupcake-lab:problem:conflict",
        "title": "Conflict",
        "status": 409,
        "detail": "taken",
    }


def test_invalid_input_lists_its_errors() -> None:
    errors = [FieldError("name", "too long")]

    response = InvalidInput("name: too long", errors=errors).to_response()

    payload = json.loads(response.content)
    assert response.status_code == 422
    assert payload["type"] == "urn:cupcake-lab:problem:invalid-input"
    assert payload["errors"] == [{"field": "name", "message": "too long"}]


def test_unauthorized_asks_for_a_bearer_token() -> None:
    response = Unauthorized("token required").to_response()

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    ("loc", "field"),
    [
        (("body", "payload", "name"), "name"),
        (("body", "payload", "items", 0, "slug"), "items.0.slug"),
        (("body", "payload"), "body"),
        (("path", "slug"), "slug"),
        (("query", "body"), "body"),
    ],
)
def test_validation_locations_name_the_field(loc: tuple[Any, ...], field: str) -> None:
    assert field_name(loc) == field


def test_validation_errors_become_field_and_message_pairs() -> None:
    errors = [{"loc": ("body", "payload", "color"), "msg": "bad colour", "type": "x"}]

    assert field_errors(errors) == [FieldError("color", "bad colour")]


def test_openapi_problem_responses_are_declared_as_problem_json() -> None:
    problem = {"schema": {"$ref": "#/components/schemas/Problem"}}
    body = {"schema": {"$ref": "#/components/schemas/BodyOut"}}
    openapi: dict[str, Any] = {
        "paths": {
            "/x": {
                "get": {
                    "responses": {
                        200: {"content": {"application/json": body}},
                        404: {"content": {"application/json": problem}},
                    }
                }
            }
        }
    }

    problem_media_types_apply(openapi)

    responses = openapi["paths"]["/x"]["get"]["responses"]
    assert responses[200]["content"] == {"application/json": body}
    assert responses[404]["content"] == {PROBLEM_MEDIA_TYPE: problem}
