"""Validators and freshness for catalogue reads: strong ETags, ``Cache-Control`` and 304.

Catalogue reads (lists and details) are also kept rendered per token of the catalogue's
change signal (``cupcake_chassis.changes``, ``cupcake_chassis.rendered``): an unchanged
catalogue costs no database round trip, and a read renders anew after any committed write.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, NamedTuple

from pyramid.renderers import render
from pyramid.request import Request
from pyramid.response import Response

from cupcake_chassis.conditional import etag_for, if_none_match_matches
from cupcake_chassis.rendered import RenderCache

CATALOGUE_CACHE_CONTROL = "public, max-age=1, stale-while-revalidate=30, stale-if-error=300"


class RenderedJson(NamedTuple):
    """An answer rendered once: its JSON bytes and their entity tag."""

    body: bytes
    etag: str

    def response(self) -> Response:
        """A 200 answer carrying these bytes and their ETag."""
        response = Response(body=self.body, content_type="application/json", charset=None)
        response.headers["ETag"] = self.etag
        return response


def rendered_json(request: Request, value: Any) -> RenderedJson:
    """``value`` rendered exactly as the views' ``json`` renderer does, with its ETag."""
    body = render("json", value, request=request).encode("utf-8")
    return RenderedJson(body, etag_for(body))


def catalogue_kept(
    request: Request, key: Hashable, render: Callable[[], RenderedJson]
) -> RenderedJson:
    """The read ``key`` as rendered for the catalogue as it is now, rendered once per change.

    The token is taken first: what ``render`` reads next is at least as new as it.
    """
    token = request.registry["catalogue_changes"].token()
    cache: RenderCache[RenderedJson] = request.registry["rendered_catalogue"]
    return cache.get(key, version=token, render=render)


def conditional_response(request: Request, response: Response) -> Response:
    """Add the catalogue validators to a 200 ``response``; 304 if the client has it.

    The ETag is the response's own when it has one (a kept rendering), else computed.
    """
    if response.status_code != 200:
        return response
    etag = response.headers.get("ETag") or etag_for(response.body)
    if if_none_match_matches(header=request.headers.get("If-None-Match"), etag=etag):
        response = Response(status=304)
        del response.content_type
        # A 304 has no content; a Content-Length of 0 would misdescribe the 200's.
        del response.content_length
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = CATALOGUE_CACHE_CONTROL
    return response


def catalogue_read(view: Callable[[Any, Request], Response]) -> Callable[[Any, Request], Response]:
    """View decorator: the rendered answer gets an ETag and Cache-Control, or becomes a 304."""

    def cached_view(context: Any, request: Request) -> Response:
        return conditional_response(request, view(context, request))

    return cached_view


def includeme(config: Any) -> None:
    """Give the application its cache of rendered catalogue reads."""
    config.registry["rendered_catalogue"] = RenderCache(max_entries=256)
