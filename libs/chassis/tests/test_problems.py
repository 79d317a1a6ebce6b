"""Problem documents (RFC 9457): plain HTTP errors, the lab's own kinds, field errors."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cupcake_chassis.problems import (
    LAB_PROBLEMS,
    FieldError,
    errors_member,
    problem_document,
    problem_response,
    problem_type,
)


def test_a_plain_http_error_is_about_blank_titled_by_its_reason_phrase() -> None:
    assert problem_document(status=404, detail="no frosting 'x'") == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "no frosting 'x'",
    }


def test_a_lab_problem_has_its_urn_its_kinds_title_and_extension_members() -> None:
    document = problem_document(status=422, detail="d", kind="rule-violation", rule="r")

    assert document == {
        "type": "urn:cupcake-lab:problem:rule-violation",
        "title": "Rule violation",
        "status": 422,
        "detail": "d",
        "rule": "r",
    }


@pytest.mark.parametrize("status", [500, 503])
def test_a_kinds_title_is_the_same_whatever_the_status(status: int) -> None:
    assert problem_document(status=status, detail="d", kind="chaos")["title"] == "Injected fault"


def test_unknown_kinds_of_problem_are_a_programming_error() -> None:
    with pytest.raises(KeyError):
        problem_type("made-up")
    with pytest.raises(KeyError):
        problem_document(status=422, detail="d", kind="made-up")


def test_every_kind_has_a_title_of_its_own() -> None:
    titles = list(LAB_PROBLEMS.values())

    assert all(titles) and len(set(titles)) == len(titles)


def test_field_errors_become_the_errors_member_in_order() -> None:
    errors = [FieldError("slug", "is required"), FieldError("", "not an object")]

    assert errors_member(errors) == [
        {"field": "slug", "message": "is required"},
        {"field": "", "message": "not an object"},
    ]


def test_the_wsgi_answer_is_problem_json_never_cached_with_its_headers() -> None:
    started: list[Any] = []

    def start_response(status: str, headers: list[tuple[str, str]], *exc: Any) -> None:
        started.append((status, dict(headers)))

    body = b"".join(
        problem_response(start_response, 503, "down", kind="chaos", headers=[("Retry-After", "1")])
    )

    status, headers = started[0]
    assert status == "503 Service Unavailable"
    assert headers["Content-Type"] == "application/problem+json"
    assert headers["Content-Length"] == str(len(body))
    assert headers["Cache-Control"] == "no-store"
    assert headers["Retry-After"] == "1"
    assert json.loads(body) == {
        "type": "urn:cupcake-lab:problem:chaos",
        "title": "Injected fault",
        "status": 503,
        "detail": "down",
    }
