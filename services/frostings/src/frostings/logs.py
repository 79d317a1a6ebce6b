"""One log line per request on stderr: method, path, status and duration.

Headers are never logged, so neither is the admin token.
"""

from __future__ import annotations

import logging
import time

from flask import Flask, Response, g, request
from flask.logging import default_handler, has_level_handler

LOGGER_NAME = "frostings"
ACCESS_LOGGER_NAME = "frostings.access"


def _timer_start() -> None:
    g.request_started = time.perf_counter()


def _request_log(response: Response) -> Response:
    started = g.get("request_started", time.perf_counter())
    elapsed_ms = (time.perf_counter() - started) * 1000
    logging.getLogger(ACCESS_LOGGER_NAME).info(
        "%s %s %s %.1fms", request.method, request.path, response.status_code, elapsed_ms
    )
    return response


def logging_init(app: Flask) -> None:
    """Log the service's messages at INFO on stderr and each request in one line."""
    logger = logging.getLogger(LOGGER_NAME)
    logger.setLevel(logging.INFO)
    # Flask's default handler writes to the WSGI server's error stream (stderr);
    # it is added only when nothing (e.g. the root logger) handles these records yet.
    if not has_level_handler(logger):
        logger.addHandler(default_handler)
    app.before_request(_timer_start)
    app.after_request(_request_log)
