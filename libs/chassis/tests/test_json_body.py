"""Request bodies: read within the size limit, a JSON media type, one JSON object of text."""

from __future__ import annotations

import io
from typing import Any

import pytest

from cupcake_chassis.json_body import (
    BodyRefused,
    body_read_bounded,
    is_json_media_type,
    json_media_type_check,
    json_object_parse,
)


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


@pytest.mark.parametrize(
    ("env", "bytes_read"),
    [
        # A declared length over the limit is refused without reading.
        (environ(b"x" * 11, CONTENT_LENGTH="11"), 0),
        # A chunked body is read just past the limit, never to its end.
        (environ(b"x" * 1_000_000, HTTP_TRANSFER_ENCODING="chunked"), 11),
    ],
)
def test_a_body_over_the_limit_is_refused_having_read_no_more_than_needed(
    env: dict[str, Any], bytes_read: int
) -> None:
    with pytest.raises(BodyRefused) as refused:
        body_read_bounded(environ=env, limit=10)
    assert refused.value.status == 413
    assert "10 bytes" in refused.value.reason
    assert env["wsgi.input"].bytes_read == bytes_read


def test_only_the_declared_length_is_read() -> None:
    env = environ(b"abcdef", CONTENT_LENGTH="3")
    assert body_read_bounded(environ=env, limit=10) == b"abc"


@pytest.mark.parametrize("length", ["ten", "-1", "1e3", "0x10"])
def test_a_content_length_that_is_not_a_number_is_a_bad_request(length: str) -> None:
    with pytest.raises(BodyRefused) as refused:
        body_read_bounded(environ=environ(b"", CONTENT_LENGTH=length), limit=10)
    assert refused.value.status == 400


def test_a_chunked_body_within_the_limit_is_read_to_its_end() -> None:
    env = environ(b"x" * 10, HTTP_TRANSFER_ENCODING="chunked")
    assert body_read_bounded(environ=env, limit=10) == b"x" * 10


def test_a_request_without_length_or_chunking_has_no_body() -> None:
    assert body_read_bounded(environ=environ(b"ignored"), limit=10) is None


@pytest.mark.parametrize(
    "media_type", ["application/json", "APPLICATION/JSON", "application/merge-patch+json"]
)
def test_json_media_types_are_json(media_type: str) -> None:
    assert is_json_media_type(media_type)
    json_media_type_check(media_type)


@pytest.mark.parametrize(
    "media_type",
    ["", "text/plain", "text/json", "application/x-www-form-urlencoded", "application/jsonx", None],
)
def test_other_media_types_are_refused_as_unsupported(media_type: str | None) -> None:
    with pytest.raises(BodyRefused) as refused:
        json_media_type_check(media_type)
    assert refused.value.status == 415


def test_a_json_object_is_parsed() -> None:
    assert json_object_parse('{"name": "\u00e9", "n": [1, 2.5]}'.encode()) == {
        "name": "\u00e9",
        "n": [1, 2.5],
    }


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{", "not valid JSON"),
        (b"", "not valid JSON"),
        (b"{'a': 1}", "not valid JSON"),
        (b"[" * 100_000, "not valid JSON"),
        (b'{"a": NaN}', "not valid JSON"),
        (b'{"a": -Infinity}', "not valid JSON"),
        (b"\xff\xfe{}", "not UTF-8"),
        ('{"a": 1}'.encode("utf-16"), "not UTF-8"),
        (b"[1, 2]", "must be a JSON object"),
        (b'"text"', "must be a JSON object"),
        (b"null", "must be a JSON object"),
        (b'{"name": "x\\ud800"}', "lone surrogate"),
        (b'{"\\udfff": "x"}', "lone surrogate"),
        (b'{"a": [{"b": "\\ud83c"}]}', "lone surrogate"),
    ],
)
def test_anything_but_a_json_object_of_text_is_a_bad_request(body: bytes, reason: str) -> None:
    with pytest.raises(BodyRefused) as refused:
        json_object_parse(body)
    assert refused.value.status == 400
    assert reason in refused.value.reason
