"""Strong ETags, If-None-Match matching and the 304 answer."""

from __future__ import annotations

import hashlib

import pytest
from pyramid.request import Request
from pyramid.response import Response

from toppings.caching import (
    CATALOGUE_CACHE_CONTROL,
    conditional_response,
    etag_for,
    if_none_match_matches,
)

BODY = b'{"items": []}'
TAG = etag_for(BODY)


def test_the_etag_is_the_quoted_sha256_of_the_body() -> None:
    assert TAG == f'"{hashlib.sha256(BODY).hexdigest()}"'
    assert etag_for(BODY + b" ") != TAG


@pytest.mark.parametrize(
    "header",
    [TAG, f"W/{TAG}", f'"other", {TAG}', f'"a",{TAG} ,"b"', "*", " * ", f", , {TAG},"],
)
def test_matching_if_none_match_headers(header: str) -> None:
    assert if_none_match_matches(header=header, etag=TAG)


@pytest.mark.parametrize(
    "header",
    [None, "", '"other"', TAG.strip('"'), f"{TAG} junk", f'W/"{TAG}"', f"{TAG[:-1]}"],
)
def test_headers_that_do_not_match(header: str | None) -> None:
    assert not if_none_match_matches(header=header, etag=TAG)


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
