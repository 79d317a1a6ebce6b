"""Bodies of writes: JSON only (415), 64 KiB at most (413), one JSON object (400)."""

import pytest
from django.core.exceptions import RequestDataTooBig
from django.test import RequestFactory

from bodies.core.json_body import body_too_large, json_object_from_request
from bodies.core.problems import (
    ContentTooLarge,
    LengthRequired,
    MalformedRequest,
    UnsupportedMediaType,
)

pytestmark = pytest.mark.unit

LIMIT = 64 * 1024


def test_a_json_object_is_returned_as_a_dict(rf: RequestFactory) -> None:
    request = rf.post("/", data='{"name": "x"}', content_type="application/json; charset=utf-8")

    assert json_object_from_request(request) == {"name": "x"}


def test_a_body_that_is_not_json_is_unsupported(rf: RequestFactory) -> None:
    request = rf.post("/", data="name=x", content_type="application/x-www-form-urlencoded")

    with pytest.raises(UnsupportedMediaType):
        json_object_from_request(request)


@pytest.mark.parametrize(
    "body", ["{", "", "{'a': 1}", "[" * 60_000, b"\xff\xfe", '{"a": NaN}', '{"a": "\\ud800"}']
)
def test_malformed_json_is_a_bad_request(rf: RequestFactory, body: str | bytes) -> None:
    request = rf.generic("POST", "/", data=body, CONTENT_TYPE="application/json")

    with pytest.raises(MalformedRequest):
        json_object_from_request(request)


@pytest.mark.parametrize("body", ["[]", '"text"', "1", "null", "true"])
def test_json_that_is_not_an_object_is_a_bad_request(rf: RequestFactory, body: str) -> None:
    request = rf.post("/", data=body, content_type="application/json")

    with pytest.raises(MalformedRequest):
        json_object_from_request(request)


def test_a_declared_length_over_the_limit_is_refused_before_reading(rf: RequestFactory) -> None:
    request = rf.generic(
        "POST", "/", data="{}", content_type="application/json", CONTENT_LENGTH=str(LIMIT + 1)
    )

    with pytest.raises(RequestDataTooBig):
        json_object_from_request(request)


def test_a_body_at_the_limit_is_read(rf: RequestFactory) -> None:
    body = '{"d": "' + "x" * (LIMIT - 9) + '"}'
    request = rf.post("/", data=body, content_type="application/json")

    assert len(json_object_from_request(request)["d"]) == LIMIT - 9


def test_no_more_than_the_declared_length_is_ever_read(rf: RequestFactory) -> None:
    body = '{"a": 1}' + " " * LIMIT * 2
    request = rf.generic(
        "POST", "/", data=body, content_type="application/json", CONTENT_LENGTH="8"
    )

    assert json_object_from_request(request) == {"a": 1}


def test_the_too_large_problem_names_the_limit() -> None:
    problem = body_too_large()

    assert isinstance(problem, ContentTooLarge)
    assert str(LIMIT) in problem.detail


def test_a_chunked_body_without_content_length_asks_for_a_length(rf: RequestFactory) -> None:
    request = rf.generic(
        "POST",
        "/",
        data="{}",
        content_type="application/json",
        headers={"Transfer-Encoding": "chunked"},
        CONTENT_LENGTH="",
    )

    with pytest.raises(LengthRequired):
        json_object_from_request(request)
