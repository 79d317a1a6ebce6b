"""problem+json Flask responses and the flattening of validation messages into field errors."""

from __future__ import annotations

from flask import Flask

from cupcake_chassis.problems import PROBLEM_MEDIA_TYPE, FieldError
from frostings.problems import field_errors_from_messages, problem_response


def test_problem_response_is_problem_json_with_its_headers() -> None:
    with Flask(__name__).app_context():
        response = problem_response(
            status=503,
            detail="down",
            kind="upstream-unavailable",
            headers={"Retry-After": "5", "Content-Type": "text/html"},
        )
    assert response.status_code == 503
    assert response.mimetype == PROBLEM_MEDIA_TYPE
    assert response.headers["Content-Type"] == PROBLEM_MEDIA_TYPE
    assert response.headers["Retry-After"] == "5"
    assert response.get_json() == {
        "type": "urn:cupcake-lab:problem:upstream-unavailable",
        "title": "Upstream unavailable",
        "status": 503,
        "detail": "down",
    }


def test_validation_messages_become_dotted_field_errors() -> None:
    messages = {
        "json": {
            "name": ["Missing data for required field."],
            "bodies": {0: ["must be a slug"], 3: ["must be a slug", "too long"]},
            "_schema": ["Invalid input type."],
        }
    }
    assert field_errors_from_messages(messages) == [
        FieldError("name", "Missing data for required field."),
        FieldError("bodies.0", "must be a slug"),
        FieldError("bodies.3", "must be a slug"),
        FieldError("bodies.3", "too long"),
        FieldError("", "Invalid input type."),
    ]
