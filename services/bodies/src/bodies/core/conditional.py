"""Cacheable reads: strong ETags, Cache-Control, and 304 for a matching If-None-Match."""

import hashlib

from django.http import HttpRequest, HttpResponse
from django.utils.http import parse_etags

CACHE_CONTROL = "public, max-age=1, stale-while-revalidate=30, stale-if-error=300"


def etag_for(content: bytes) -> str:
    """Return the strong entity tag of ``content``: its quoted SHA-256."""
    return f'"{hashlib.sha256(content).hexdigest()}"'


def if_none_match_matches(header: str | None, etag: str) -> bool:
    """Tell whether an If-None-Match header value matches ``etag``.

    RFC 9110 13.1.2: ``*`` matches any current representation; otherwise the weak
    comparison applies, so ``W/"x"`` matches ``"x"``.
    """
    if not header:
        return False
    tags = parse_etags(header)
    if tags == ["*"]:
        return True
    opaque = etag.removeprefix("W/")
    return any(tag.removeprefix("W/") == opaque for tag in tags)


def cached_response(
    request: HttpRequest, *, content: bytes, content_type: str, etag: str | None = None
) -> HttpResponse:
    """Return ``content`` with its ETag and Cache-Control, or a bodiless 304 when it matches.

    ``etag`` is the content's own, when already known (a kept rendering).
    """
    etag = etag or etag_for(content)
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
    if if_none_match_matches(request.headers.get("If-None-Match"), etag):
        not_modified = HttpResponse(status=304, headers=headers)
        del not_modified["Content-Type"]
        return not_modified
    return HttpResponse(content, content_type=content_type, headers=headers)
