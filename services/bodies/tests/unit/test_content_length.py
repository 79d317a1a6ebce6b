"""A Content-Length that is not a number is a 400 problem before the body is read."""

import json

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from bodies.core.content_length import ContentLengthMiddleware


def body_length_view(request: HttpRequest) -> HttpResponse:
    """Read the body, as a write's view does."""
    return HttpResponse(str(len(request.body)))


@pytest.mark.parametrize("length", ["abc", "-1", "1e3", " 8", "8 "])
def test_a_content_length_that_is_no_number_is_a_400_problem(
    rf: RequestFactory, length: str
) -> None:
    request = rf.generic(
        "POST", "/", data='{"a": 1}', content_type="application/json", CONTENT_LENGTH=length
    )

    response = ContentLengthMiddleware(body_length_view)(request)

    assert isinstance(response, HttpResponse)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "Content-Length" in json.loads(response.content)["detail"]


@pytest.mark.parametrize("length", ["8", ""])
def test_a_numeric_or_absent_content_length_goes_through(rf: RequestFactory, length: str) -> None:
    request = rf.generic(
        "POST", "/", data='{"a": 1}', content_type="application/json", CONTENT_LENGTH=length
    )

    response = ContentLengthMiddleware(body_length_view)(request)

    assert response.status_code == 200
