"""Sending a request once more when its connection closed before any answer, as browsers do.

A server that stops, or restarts in place, closes the kept-alive connections it holds idle.
A request sent on one at that very moment meets a closed connection and no answer, though
the server never read it: HTTP/1.1 lets the client send it again on a new connection
(RFC 9112, "Retrying Requests"), and browsers do so by themselves. ``requests``, Locust's
client, does not: without this the Locust file's people would count as failed what no
person at a browser would ever see.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any

from urllib3.connectionpool import ConnectionPool
from urllib3.exceptions import ProtocolError
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

# What is told of each request sent again: its method, its URL and the pool (host, port).
OnResend = Callable[[str | None, str | None, ConnectionPool | None], None]

# requests' own default: nothing is sent twice.
_NEVER = Retry(0, read=False)


class ResendUnanswered(Retry):
    """urllib3's retries set to send a request once more when its connection closed before
    any answer came (``ProtocolError``: the server disconnected, or reset the connection),
    whatever its method (the lab's only write, a bake, carries an ``Idempotency-Key``);
    never after a timeout (a slow answer is the answer), a refused connection (the service
    is down) or any status: those fail as without retries. ``on_resend`` is told each time.
    """

    def __init__(self, *args: Any, on_resend: OnResend | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("total", 1)
        kwargs.setdefault("allowed_methods", None)
        # A 429 or 503 with Retry-After is an answer for the people to act on, not to wait out.
        kwargs.setdefault("respect_retry_after_header", False)
        super().__init__(*args, **kwargs)
        self.on_resend = on_resend

    def new(self, **kw: Any) -> ResendUnanswered:
        """A copy with other counts, telling the same ``on_resend``."""
        fresh = super().new(**kw)
        fresh.on_resend = self.on_resend
        return fresh

    def increment(
        self,
        method: str | None = None,
        url: str | None = None,
        response: BaseHTTPResponse | None = None,
        error: Exception | None = None,
        _pool: ConnectionPool | None = None,
        _stacktrace: TracebackType | None = None,
    ) -> ResendUnanswered:
        """Allow one more try after a connection closed unanswered; else fail as requests
        does by default."""
        if self.total and isinstance(error, ProtocolError):
            if self.on_resend is not None:
                self.on_resend(method, url, _pool)
            return super().increment(method, url, response, error, _pool, _stacktrace)
        _NEVER.increment(method, url, response, error, _pool, _stacktrace)
        raise AssertionError("unreachable: urllib3 raises for a request it will not retry")
