"""Strong ETags, If-None-Match (weak comparison, lists, *) and 304 answers."""

from __future__ import annotations

import pytest
from flask import Flask, Response

from cupcake_chassis.conditional import etag_for
from frostings.caching import CACHE_CONTROL, conditional_response

ETAG = etag_for(b"hello")


@pytest.fixture
def app() -> Flask:
    """A bare Flask app to build requests with."""
    return Flask(__name__)


def test_a_fresh_response_is_tagged_and_cacheable(app: Flask) -> None:
    with app.test_request_context("/"):
        response = conditional_response(Response(b"hello"))
    assert response.status_code == 200
    assert response.headers["ETag"] == ETAG
    assert response.headers["Cache-Control"] == CACHE_CONTROL
    assert "stale-if-error" in CACHE_CONTROL


def test_a_matching_request_gets_304_with_no_body(app: Flask) -> None:
    with app.test_request_context("/", headers={"If-None-Match": ETAG}):
        response = conditional_response(Response(b"hello"))
    assert response.status_code == 304
    assert response.get_data() == b""
    assert response.headers["ETag"] == ETAG
    assert response.headers["Cache-Control"] == CACHE_CONTROL


def test_errors_are_neither_tagged_nor_turned_into_304(app: Flask) -> None:
    with app.test_request_context("/", headers={"If-None-Match": "*"}):
        response = conditional_response(Response(b"nope", status=404))
    assert response.status_code == 404
    assert "ETag" not in response.headers
