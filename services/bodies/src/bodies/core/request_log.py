"""One log line per request on stderr: method, path, status and duration."""

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest
from django.http.response import HttpResponseBase

logger = logging.getLogger("bodies.requests")


class RequestLogMiddleware:
    """Log each request once it is answered.

    Only the method and path are logged, never headers or the query string, so no
    token or other secret can reach the log.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed_ms = (time.perf_counter() - started) * 1000
        logger.info(
            "%s %s %d %.1fms", request.method, request.path, response.status_code, elapsed_ms
        )
        return response
