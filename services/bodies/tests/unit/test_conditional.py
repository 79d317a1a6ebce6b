"""Strong ETags, Cache-Control and 304 on If-None-Match (RFC 9110)."""

import pytest
from django.test import RequestFactory

from bodies.core.conditional import CACHE_CONTROL, conditional_response
from cupcake_chassis.conditional import etag_for

pytestmark = pytest.mark.unit

CONTENT = b'{"slug":"vanilla"}'


def test_a_read_carries_its_etag_and_cache_control(rf: RequestFactory) -> None:
    response = conditional_response(rf.get("/x"), content=CONTENT, content_type="application/json")

    assert response.status_code == 200
    assert response.content == CONTENT
    assert response["ETag"] == etag_for(CONTENT)
    assert response["Cache-Control"] == CACHE_CONTROL
    assert "stale-if-error=300" in response["Cache-Control"]


def test_a_matching_if_none_match_gets_a_bodiless_304_with_the_same_headers(
    rf: RequestFactory,
) -> None:
    request = rf.get("/x", headers={"If-None-Match": etag_for(CONTENT)})

    response = conditional_response(request, content=CONTENT, content_type="application/json")

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag_for(CONTENT)
    assert response["Cache-Control"] == CACHE_CONTROL
    assert not response.has_header("Content-Type")


def test_a_stale_if_none_match_gets_the_full_answer(rf: RequestFactory) -> None:
    request = rf.get("/x", headers={"If-None-Match": etag_for(b"old")})

    response = conditional_response(request, content=CONTENT, content_type="application/json")

    assert response.status_code == 200
    assert response.content == CONTENT
