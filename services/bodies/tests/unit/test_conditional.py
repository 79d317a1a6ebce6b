"""Strong ETags, Cache-Control and 304 on If-None-Match (RFC 9110)."""

import hashlib

import pytest
from django.test import RequestFactory

from bodies.core.conditional import CACHE_CONTROL, cached_response, etag_for, if_none_match_matches

pytestmark = pytest.mark.unit

CONTENT = b'{"slug":"vanilla"}'


def test_the_etag_is_the_quoted_sha256_of_the_content() -> None:
    assert etag_for(CONTENT) == f'"{hashlib.sha256(CONTENT).hexdigest()}"'


def test_different_content_has_a_different_etag() -> None:
    assert etag_for(CONTENT + b" ") != etag_for(CONTENT)


@pytest.mark.parametrize(
    "header",
    [
        '"abc"',
        'W/"abc"',
        '"other", "abc"',
        '"other",W/"abc"',
        "*",
        ' "abc" ',
    ],
)
def test_if_none_match_matches_the_tag_weakly_in_lists_and_with_a_star(header: str) -> None:
    assert if_none_match_matches(header, '"abc"')


@pytest.mark.parametrize("header", [None, "", '"abd"', "abc", '"other", W/"abd"', "**"])
def test_if_none_match_does_not_match_other_or_malformed_tags(header: str | None) -> None:
    assert not if_none_match_matches(header, '"abc"')


def test_a_read_carries_its_etag_and_cache_control(rf: RequestFactory) -> None:
    response = cached_response(rf.get("/x"), content=CONTENT, content_type="application/json")

    assert response.status_code == 200
    assert response.content == CONTENT
    assert response["ETag"] == etag_for(CONTENT)
    assert response["Cache-Control"] == CACHE_CONTROL
    assert "stale-if-error=300" in response["Cache-Control"]


def test_a_matching_if_none_match_gets_a_bodiless_304_with_the_same_headers(
    rf: RequestFactory,
) -> None:
    request = rf.get("/x", headers={"If-None-Match": etag_for(CONTENT)})

    response = cached_response(request, content=CONTENT, content_type="application/json")

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag_for(CONTENT)
    assert response["Cache-Control"] == CACHE_CONTROL
    assert not response.has_header("Content-Type")


def test_a_stale_if_none_match_gets_the_full_answer(rf: RequestFactory) -> None:
    request = rf.get("/x", headers={"If-None-Match": etag_for(b"old")})

    response = cached_response(request, content=CONTENT, content_type="application/json")

    assert response.status_code == 200
    assert response.content == CONTENT
