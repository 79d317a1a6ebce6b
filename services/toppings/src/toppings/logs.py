"""Logging: JSON lines on stderr, one per request (method, route, path, status, duration)."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import quote

from pyramid.registry import Registry
from pyramid.request import Request
from pyramid.response import Response

from cupcake_chassis.observe import request_done


def request_path(request: Request) -> str:
    """Return the request's path percent-encoded as received (safe to log, never fails)."""
    raw = request.environ.get("SCRIPT_NAME", "") + request.environ.get("PATH_INFO", "")
    # WSGI hands over the path as latin-1 characters, one per byte.
    return quote(raw.encode("latin-1", "replace"), safe="/:@!$&'()*+,;=-._~")


def route_of(request: Request) -> str | None:
    """The pattern of the route the request matched (``/api/v1/toppings/{slug}``), if any."""
    route = getattr(request, "matched_route", None)
    return None if route is None else str(route.pattern)


def request_log_tween_factory(
    handler: Callable[[Request], Response], registry: Registry
) -> Callable[[Request], Response]:
    """Tween: log and count every request once it is answered (never its headers: they
    hold tokens; never its query string)."""

    def request_log_tween(request: Request) -> Response:
        started = time.perf_counter()
        status = 500
        try:
            response = handler(request)
            status = response.status_code
            return response
        finally:
            request_done(
                method=request.method,
                route=route_of(request),
                path=request_path(request),
                status=status,
                seconds=time.perf_counter() - started,
            )

    return request_log_tween
