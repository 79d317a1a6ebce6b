"""One JSON log line and the metrics of each request, once it is answered (``cupcake_chassis``).

Headers and query strings are never logged, so neither is the admin token.
"""

from __future__ import annotations

import time

from flask import Flask, Response, g, request

from cupcake_chassis.observe import request_done


def _timer_start() -> None:
    g.request_started = time.perf_counter()


def _request_log(response: Response) -> Response:
    started = g.get("request_started", time.perf_counter())
    rule = request.url_rule
    request_done(
        method=request.method,
        route=None if rule is None else rule.rule,
        path=request.path,
        status=response.status_code,
        seconds=time.perf_counter() - started,
    )
    return response


def request_log_init(app: Flask) -> None:
    """Log (and count) each request of ``app`` in one line, once it is answered."""
    app.before_request(_timer_start)
    app.after_request(_request_log)
