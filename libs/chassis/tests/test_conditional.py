"""Entity tags and If-None-Match, as every service answers conditional reads."""

from __future__ import annotations

import hashlib

import pytest

from cupcake_chassis.conditional import etag_for, if_none_match_matches

CONTENT = b'{"items": []}'


def test_the_etag_is_the_quoted_sha256_of_the_body() -> None:
    assert etag_for(CONTENT) == f'"{hashlib.sha256(CONTENT).hexdigest()}"'
    assert etag_for(CONTENT + b" ") != etag_for(CONTENT)


@pytest.mark.parametrize(
    "header",
    ['"abc"', 'W/"abc"', '"other", "abc"', '"other",W/"abc"', '"a","abc" ,"b"', "*", " * ",
     ' "abc" ', ', , "abc",'],
)  # fmt: skip
def test_if_none_match_matches_the_tag_weakly_in_lists_and_with_a_star(header: str) -> None:
    assert if_none_match_matches(header=header, etag='"abc"')


@pytest.mark.parametrize(
    "header", [None, "", '"abd"', "abc", '"other", W/"abd"', "**", '"abc" x', 'W/""abc""', '"abc']
)
def test_if_none_match_does_not_match_other_or_malformed_tags(header: str | None) -> None:
    assert not if_none_match_matches(header=header, etag='"abc"')


def test_a_weak_etag_is_compared_by_its_opaque_tag() -> None:
    assert if_none_match_matches(header='"abc"', etag='W/"abc"')
