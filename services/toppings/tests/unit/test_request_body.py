"""Reading request bodies within the size limit."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pyramid.httpexceptions import HTTPBadRequest, HTTPRequestEntityTooLarge

from toppings.request_body import body_read_bounded


class CountingStream(io.BytesIO):
    """A body stream that remembers how many bytes were read from it."""

    bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        """Read like BytesIO, counting."""
        data = super().read(size)
        self.bytes_read += len(data)
        return data


def environ(body: bytes, **extra: str) -> dict[str, Any]:
    """Return a WSGI environ carrying ``body`` and the ``extra`` CGI variables."""
    return {"wsgi.input": CountingStream(body), **extra}


def test_a_body_within_the_limit_is_read_whole() -> None:
    env = environ(b'{"a": 1}', CONTENT_LENGTH="8")
    assert body_read_bounded(environ=env, limit=10) == b'{"a": 1}'


def test_a_declared_length_over_the_limit_is_refused_without_reading() -> None:
    env = environ(b"x" * 11, CONTENT_LENGTH="11")
    with pytest.raises(HTTPRequestEntityTooLarge):
        body_read_bounded(environ=env, limit=10)
    assert env["wsgi.input"].bytes_read == 0


def test_only_the_declared_length_is_read() -> None:
    env = environ(b"abcdef", CONTENT_LENGTH="3")
    assert body_read_bounded(environ=env, limit=10) == b"abc"


@pytest.mark.parametrize("length", ["ten", "-1", "1e3", "0x10"])
def test_a_content_length_that_is_not_a_number_is_a_bad_request(length: str) -> None:
    with pytest.raises(HTTPBadRequest):
        body_read_bounded(environ=environ(b"", CONTENT_LENGTH=length), limit=10)


def test_a_chunked_body_over_the_limit_is_refused_after_reading_just_past_the_limit() -> None:
    env = environ(b"x" * 1_000_000, HTTP_TRANSFER_ENCODING="chunked")
    with pytest.raises(HTTPRequestEntityTooLarge):
        body_read_bounded(environ=env, limit=10)
    assert env["wsgi.input"].bytes_read == 11


def test_a_chunked_body_within_the_limit_is_read_to_its_end() -> None:
    env = environ(b"x" * 10, HTTP_TRANSFER_ENCODING="chunked")
    assert body_read_bounded(environ=env, limit=10) == b"x" * 10


def test_a_request_without_length_or_chunking_has_no_body() -> None:
    assert body_read_bounded(environ=environ(b"ignored"), limit=10) is None
