"""Request bodies of writes, framework-free: a JSON media type, a size limit, one JSON
object of Unicode text.

Each check raises ``BodyRefused`` with the status that fits (400, 413, 415) and a reason
in words; each service turns it into its own problem answer.
"""

from __future__ import annotations

import json
from typing import IO, Any

_CHUNK = 16 * 1024
_READS = frozenset({"GET", "HEAD", "OPTIONS"})


class BodyRefused(Exception):
    """The request body cannot be accepted: ``status`` says why in HTTP, ``reason`` in words."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def is_json_media_type(media_type: str) -> bool:
    """Tell whether a media type (without parameters) is JSON: ``application/json`` or
    ``application/*+json``."""
    media_type = media_type.strip().lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


def json_media_type_check(media_type: str | None) -> None:
    """Refuse (415) a body whose media type (without parameters) is not JSON."""
    if not is_json_media_type(media_type or ""):
        raise BodyRefused(
            415, f"the request body must be application/json, not {media_type or 'untyped'}"
        )


def too_large(limit: int) -> BodyRefused:
    """The refusal (413) of a body of more than ``limit`` bytes."""
    return BodyRefused(413, f"the request body must be at most {limit} bytes")


def body_size_check(size: int, *, limit: int) -> None:
    """Refuse (413) a body, declared or read, of more than ``limit`` bytes."""
    if size > limit:
        raise too_large(limit)


def declared_length(value: str | None) -> int | None:
    """The ``Content-Length`` declared, None if none; refuse (400) one that is not a number."""
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise BodyRefused(400, "the Content-Length header is not a number")
    return int(value)


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def json_object_parse(raw: bytes) -> dict[str, Any]:
    """Parse a body that must be one JSON object in UTF-8; refuse (400) anything else.

    Any bytes end in a dict or a 400: other encodings, ``NaN``/``Infinity``, nesting too
    deep for the parser, and lone surrogate escapes, which no database or UTF-8 answer
    can hold.
    """
    try:
        value = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except UnicodeDecodeError:
        raise BodyRefused(400, "the request body is not UTF-8 text") from None
    except (ValueError, RecursionError):
        raise BodyRefused(400, "the request body is not valid JSON") from None
    if not isinstance(value, dict):
        raise BodyRefused(400, "the request body must be a JSON object")
    if not _is_unicode_text(value):
        raise BodyRefused(
            400, "the request body holds a lone surrogate escape (\\udXXX), which is not text"
        )
    return value


def _is_unicode_text(value: dict[str, Any]) -> bool:
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _read_at_most(stream: IO[bytes], size: int) -> bytes:
    """Read until ``size`` bytes or the end of ``stream``, whichever comes first."""
    chunks: list[bytes] = []
    remaining = size
    while remaining > 0:
        chunk = stream.read(min(_CHUNK, remaining))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def body_read_bounded(*, environ: dict[str, Any], limit: int) -> bytes | None:
    """Return a WSGI request's body, refusing more than ``limit`` bytes; None if it has none.

    The declared ``Content-Length`` is checked first; a body without one (chunked) is read
    only up to ``limit + 1`` bytes, never to its end.
    """
    declared = declared_length(environ.get("CONTENT_LENGTH"))
    if declared is not None:
        body_size_check(declared, limit=limit)
        return _read_at_most(environ["wsgi.input"], declared)
    chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
    if not chunked and environ.get("REQUEST_METHOD") in _READS:
        # A read that declares no body has none; asking the server costs every read.
        return None
    if not (chunked or environ.get("wsgi.input_terminated")):
        return None
    body = _read_at_most(environ["wsgi.input"], limit + 1)
    body_size_check(len(body), limit=limit)
    return body
