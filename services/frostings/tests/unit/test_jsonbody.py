"""The body of a write: application/json (415), at most 64 KiB (413), a JSON object (400)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from apiflask import HTTPError
from flask import Flask

from frostings.jsonbody import json_object_read

LIMIT = 64 * 1024


@pytest.fixture
def app() -> Flask:
    """A bare Flask app with the service's body limit."""
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = LIMIT
    return app


def _read(app: Flask, **request: Any) -> dict[str, Any]:
    with app.test_request_context("/", method="POST", **request):
        return json_object_read()


def test_a_json_object_is_read(app: Flask) -> None:
    assert _read(app, json={"name": "x"}) == {"name": "x"}
    assert _read(app, data='{"a": 1}', content_type="application/json; charset=utf-8") == {"a": 1}


@pytest.mark.parametrize(
    "content_type", [None, "text/plain", "application/x-www-form-urlencoded", "application/jsonx"]
)
def test_other_media_types_are_415(app: Flask, content_type: str | None) -> None:
    with pytest.raises(HTTPError) as caught:
        _read(app, data='{"a": 1}', content_type=content_type)
    assert caught.value.status_code == 415


def test_a_declared_length_over_the_limit_is_413_before_reading(app: Flask) -> None:
    with pytest.raises(HTTPError) as caught:
        _read(app, data=b"{}" + b" " * LIMIT, content_type="application/json")
    assert caught.value.status_code == 413


def _streamed(body: bytes) -> dict[str, Any]:
    return {
        "input_stream": io.BytesIO(body),
        "content_type": "application/json",
        # Chunked: no Content-Length, so the limit can only be enforced while reading.
        "headers": {"Transfer-Encoding": "chunked"},
        "environ_overrides": {"wsgi.input_terminated": True},
    }


@pytest.mark.parametrize("extra", [1, 10, LIMIT])
def test_a_streamed_body_over_the_limit_is_413_while_reading(app: Flask, extra: int) -> None:
    body = b'{"a": "' + b"x" * (LIMIT - 9 + extra) + b'"}'
    assert len(body) == LIMIT + extra
    with pytest.raises(HTTPError) as caught:
        _read(app, **_streamed(body))
    assert caught.value.status_code == 413


def test_a_streamed_body_of_exactly_the_limit_is_read(app: Flask) -> None:
    body = b'{"a": "' + b"x" * (LIMIT - 9) + b'"}'
    assert len(body) == LIMIT
    assert len(_read(app, **_streamed(body))["a"]) == LIMIT - 9


@pytest.mark.parametrize(
    "body",
    [
        b"{",
        b"",
        b"[1, 2]",
        b'"text"',
        b"null",
        b'{"a": NaN}',
        b"\xff\xfe",
        b"[" * 5000,
        b'{"name": "x\\ud800"}',
        b'{"\\udfff": "x"}',
        b'{"a": [{"b": "\\ud83c"}]}',
    ],
)
def test_anything_but_a_json_object_is_400(app: Flask, body: bytes) -> None:
    with pytest.raises(HTTPError) as caught:
        _read(app, data=body, content_type="application/json")
    assert caught.value.status_code == 400
