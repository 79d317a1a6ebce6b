"""Logging: one line per request on stderr (method, path, status, milliseconds)."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from urllib.parse import quote

from pyramid.registry import Registry
from pyramid.request import Request
from pyramid.response import Response

access_log = logging.getLogger("toppings.access")


def request_path(request: Request) -> str:
    """Return the request's path percent-encoded as received (safe to log, never fails)."""
    raw = request.environ.get("SCRIPT_NAME", "") + request.environ.get("PATH_INFO", "")
    # WSGI hands over the path as latin-1 characters, one per byte.
    return quote(raw.encode("latin-1", "replace"), safe="/:@!$&'()*+,;=-._~")


def configure_logging(*, level: int = logging.INFO) -> None:
    """Send the service's log records to stderr, once per process."""
    logger = logging.getLogger("toppings")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(level)


def request_log_tween_factory(
    handler: Callable[[Request], Response], registry: Registry
) -> Callable[[Request], Response]:
    """Tween: log every request once it is answered (never its headers: they hold tokens)."""

    def request_log_tween(request: Request) -> Response:
        started = time.perf_counter()
        status = 500
        try:
            response = handler(request)
            status = response.status_code
            return response
        finally:
            elapsed_ms = (time.perf_counter() - started) * 1000
            access_log.info(
                "%s %s %s %.1fms", request.method, request_path(request), status, elapsed_ms
            )

    return request_log_tween
