"""HTTP caching of catalogue reads: strong ETag, Cache-Control and 304 Not Modified."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Response, current_app, request

from cupcake_chassis.conditional import etag_for, if_none_match_matches

CACHE_CONTROL = "public, max-age=1, stale-while-revalidate=30, stale-if-error=300"

View = TypeVar("View", bound=Callable[..., Any])


def no_content(status: int, headers: dict[str, str] | None = None) -> Response:
    """A response without a body (204, 304), hence without a Content-Type either."""
    response = Response(status=status, headers=headers)
    del response.headers["Content-Type"]
    return response


def conditional_response(response: Response) -> Response:
    """Tag a 200 response and answer 304 instead when the client has it already.

    The ETag is the response's own when it has one (a kept rendering), else computed.
    """
    if response.status_code != 200:
        return response
    etag = response.headers.get("ETag") or etag_for(response.get_data())
    if if_none_match_matches(header=request.headers.get("If-None-Match"), etag=etag):
        return no_content(304, headers={"ETag": etag, "Cache-Control": CACHE_CONTROL})
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response


def cacheable(view: View) -> View:
    """Decorate a read view: ETag, Cache-Control and 304, unless it set its own caching."""

    @wraps(view)
    def tagged(*args: Any, **kwargs: Any) -> Response:
        response = current_app.make_response(view(*args, **kwargs))
        if "Cache-Control" in response.headers:
            return response
        return conditional_response(response)

    return cast(View, tagged)
