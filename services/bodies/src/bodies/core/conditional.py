"""Cacheable reads: strong ETags, Cache-Control, and 304 for a matching If-None-Match."""

from django.http import HttpRequest, HttpResponse

from cupcake_chassis.conditional import etag_for, if_none_match_matches

CACHE_CONTROL = "public, max-age=1, stale-while-revalidate=30, stale-if-error=300"


def conditional_response(
    request: HttpRequest, *, content: bytes, content_type: str, etag: str | None = None
) -> HttpResponse:
    """Return ``content`` with its ETag and Cache-Control, or a bodiless 304 when it matches.

    ``etag`` is the content's own, when already known (a kept rendering).
    """
    etag = etag or etag_for(content)
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
    if if_none_match_matches(header=request.headers.get("If-None-Match"), etag=etag):
        not_modified = HttpResponse(status=304, headers=headers)
        del not_modified["Content-Type"]
        return not_modified
    return HttpResponse(content, content_type=content_type, headers=headers)
