"""Read a request body with a hard size limit, never to an unbounded end."""

from __future__ import annotations

from typing import IO, Any

from pyramid.httpexceptions import HTTPBadRequest, HTTPRequestEntityTooLarge

_CHUNK = 16 * 1024
_READS = frozenset({"GET", "HEAD", "OPTIONS"})


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
    """Return the request body, refusing more than ``limit`` bytes; None if there is none.

    The declared ``Content-Length`` is checked first; a body without one
    (chunked) is read only up to ``limit + 1`` bytes, never to its end.
    """
    declared = environ.get("CONTENT_LENGTH", "").strip()
    if declared:
        if not declared.isdigit():
            raise HTTPBadRequest(detail="the Content-Length header is not a number")
        if int(declared) > limit:
            raise _too_large(limit)
        return _read_at_most(environ["wsgi.input"], int(declared))
    chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
    if not chunked and environ.get("REQUEST_METHOD") in _READS:
        # A read that declares no body has none; asking the server costs every read.
        return None
    if not (chunked or environ.get("wsgi.input_terminated")):
        return None
    body = _read_at_most(environ["wsgi.input"], limit + 1)
    if len(body) > limit:
        raise _too_large(limit)
    return body


def _too_large(limit: int) -> HTTPRequestEntityTooLarge:
    return HTTPRequestEntityTooLarge(detail=f"the request body exceeds {limit} bytes")
