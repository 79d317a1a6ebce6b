"""One log line and the metrics of each request, once it is answered (``cupcake_chassis``)."""

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest
from django.http.response import HttpResponseBase

from cupcake_chassis.observe import request_done


def not_a_refusal(record: logging.LogRecord) -> bool:
    """Whether a ``django.request`` record is about anything but a 503. Every 503 bodies
    answers is a refusal it chose (a peer or the database unavailable, said with
    ``Retry-After``), each already logged where it was decided, and in the request line:
    Django would log each again as an ERROR."""
    return getattr(record, "status_code", None) != 503


def route_of(request: HttpRequest) -> str | None:
    """The URL pattern the request matched (``/api/v1/bodies/<slug>``), None if none did."""
    match = request.resolver_match
    return None if match is None or match.route is None else "/" + match.route


class RequestLogMiddleware:
    """Log and count each request once it is answered.

    Only the method and path are logged, never headers or the query string, so no
    token or other secret can reach the log.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        response = self.get_response(request)
        request_done(
            method=request.method or "GET",
            route=route_of(request),
            path=request.path,
            status=response.status_code,
            seconds=time.perf_counter() - started,
        )
        return response
