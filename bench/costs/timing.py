"""Timing a WSGI request in-process: no server, no HTTP, only the app's own work."""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable, Iterable
from typing import Any

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def per_call_us(
    call: Callable[[], object],
    *,
    calls: int,
    batches: int,
    clock: Callable[[], int] = time.process_time_ns,
) -> float:
    """Microseconds of ``clock`` per ``call``: the median of ``batches`` batches of ``calls``.

    The process's CPU clock by default: it counts every thread of the process (a log writer
    working off the request path included) and not the other processes of a shared machine.
    """
    samples = []
    for _batch in range(batches):
        started = clock()
        for _call in range(calls):
            call()
        samples.append((clock() - started) / calls / 1000)
    return statistics.median(samples)


def environ_for(target: str, *, host: str) -> dict[str, Any]:
    """The WSGI environ of ``GET target`` (a path, perhaps with a query) sent to ``host``."""
    path, _, query = target.partition("?")
    name, _, port = host.partition(":")
    return {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": name,
        "SERVER_PORT": port or "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": host,
        "HTTP_ACCEPT": "*/*",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }


def wsgi_get(app: WsgiApp, environ: dict[str, Any]) -> tuple[str, bytes]:
    """Call ``app`` with a copy of ``environ`` as a server would: its status and body."""
    answered: list[str] = []

    def start_response(status: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
        answered.append(status)
        return lambda data: None

    result = app(dict(environ), start_response)
    try:
        body = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return answered[-1] if answered else "", body
