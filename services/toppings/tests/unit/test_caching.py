"""Strong ETags, If-None-Match matching and the 304 answer."""

from __future__ import annotations

from pyramid.request import Request
from pyramid.response import Response

from cupcake_chassis.conditional import etag_for
from toppings.caching import CATALOGUE_CACHE_CONTROL, conditional_response

BODY = b'{"items": []}'
TAG = etag_for(BODY)


def _ok(body: bytes = BODY) -> Response:
    return Response(body=body, content_type="application/json", charset=None)


def test_a_200_gets_the_etag_and_the_catalogue_cache_control() -> None:
    response = conditional_response(Request.blank("/"), _ok())
    assert response.status_code == 200
    assert response.headers["ETag"] == TAG
    assert response.headers["Cache-Control"] == CATALOGUE_CACHE_CONTROL
    assert response.body == BODY


def test_a_matching_if_none_match_turns_the_answer_into_an_empty_304() -> None:
    request = Request.blank("/", headers={"If-None-Match": f'"x", W/{TAG}'})
    response = conditional_response(request, _ok())
    assert response.status_code == 304
    assert response.body == b""
    assert "Content-Type" not in response.headers
    assert response.headers["ETag"] == TAG
    assert response.headers["Cache-Control"] == CATALOGUE_CACHE_CONTROL


def test_answers_other_than_200_are_left_alone() -> None:
    request = Request.blank("/", headers={"If-None-Match": "*"})
    error = Response(status=404, body=b"{}")
    assert conditional_response(request, error) is error
    assert "ETag" not in error.headers
