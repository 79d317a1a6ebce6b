"""The problem+json format (RFC 9457)."""

from __future__ import annotations

import json

from cupcake_chassis.problems import PROBLEM_MEDIA_TYPE, FieldError
from toppings.problems import invalid_input_response, problem_response


def test_a_plain_http_problem_has_type_about_blank_and_the_status_phrase_as_title() -> None:
    response = problem_response(status=404, detail="no topping 'x'")
    assert response.status_code == 404
    assert response.headers["Content-Type"] == PROBLEM_MEDIA_TYPE
    assert json.loads(response.body) == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "no topping 'x'",
    }


def test_a_lab_problem_has_a_urn_type_extra_members_and_headers() -> None:
    response = problem_response(
        status=409,
        kind="conflict",
        detail="taken",
        headers={"Retry-After": "1"},
        slug="cherry",
    )
    body = json.loads(response.body)
    assert body == {
        "type": "urn:cupcake-lab:problem:conflict",
        "title": "Conflict",
        "status": 409,
        "detail": "taken",
        "slug": "cherry",
    }
    assert response.headers["Retry-After"] == "1"


def test_problems_are_never_cached() -> None:
    assert problem_response(status=500, detail="x").headers["Cache-Control"] == "no-store"


def test_invalid_input_lists_each_field_error_and_names_the_fields_in_the_detail() -> None:
    response = invalid_input_response(
        [FieldError("slug", "is required"), FieldError("color", "must be a colour")]
    )
    body = json.loads(response.body)
    assert response.status_code == 422
    assert body["type"] == "urn:cupcake-lab:problem:invalid-input"
    assert body["errors"] == [
        {"field": "slug", "message": "is required"},
        {"field": "color", "message": "must be a colour"},
    ]
    assert body["detail"] == "the input is not valid: color, slug"
