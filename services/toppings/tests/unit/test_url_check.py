"""The URL check that keeps undecodable paths and queries from reaching WebOb."""

from __future__ import annotations

import pytest

from toppings.tweens import url_is_utf8


@pytest.mark.parametrize(
    ("path_info", "query_string"),
    [("/api/v1/toppings", ""), ("/api/v1/toppings", "slug=a,b"), ("/caf\xc3\xa9", "q=%C3%A9")],
)
def test_utf8_urls_pass(path_info: str, query_string: str) -> None:
    assert url_is_utf8(path_info=path_info, query_string=query_string)


@pytest.mark.parametrize(
    ("path_info", "query_string"),
    [("/api/v1/toppings/\xff", ""), ("/api/v1/toppings", "slug=%ff"), ("/\u20ac", "")],
)
def test_undecodable_urls_fail(path_info: str, query_string: str) -> None:
    assert not url_is_utf8(path_info=path_info, query_string=query_string)
