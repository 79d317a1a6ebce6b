"""problem+json bodies and the flattening of validation messages into field errors."""

from __future__ import annotations

import pytest
from flask import Flask

from frostings.errors import FieldError
from frostings.problems import (
    PROBLEM_MIMETYPE,
    field_errors_from_messages,
    problem_body,
    problem_response,
    problem_type,
)


def test_a_plain_http_error_is_about_blank_titled_by_its_reason_phrase() -> None:
    assert problem_body(status=404, detail="no frosting 'x'") == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "no frosting 'x'",
    }


def test_a_lab_problem_has_its_urn_title_and_extension_members() -> None:
    body = problem_body(status=422, detail="d", kind="rule-violation", rule="r")
    assert body["type"] == "urn:cupcake-lab:problem:rule-violation"
    assert body["title"] == "Rule violation"
    assert body["rule"] == "r"


def test_unknown_kinds_of_problem_are_a_programming_error() -> None:
    with pytest.raises(KeyError):
        problem_type("made-up")


def test_problem_response_is_problem_json_with_its_headers() -> None:
    with Flask(__name__).app_context():
        response = problem_response(
            status=503,
            detail="down",
            kind="upstream-unavailable",
            headers={"Retry-After": "5", "Content-Type": "text/html"},
        )
    assert response.status_code == 503
    assert response.mimetype == PROBLEM_MIMETYPE
    assert response.headers["Content-Type"] == PROBLEM_MIMETYPE
    assert response.headers["Retry-After"] == "5"
    assert response.get_json()["status"] == 503


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
