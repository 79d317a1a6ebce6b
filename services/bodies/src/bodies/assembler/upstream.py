"""One GET to a peer service, recorded, that never raises: the assembler's transport seam.

Everything the assembler asks frostings and toppings goes through ``upstream_get``. A later
issue puts a resilient client (deadlines, retries, circuit breaker, HTTP cache) behind the
same function; callers only ever see an ``Outcome``.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import asdict, dataclass
from typing import Any

import httpx
from django.conf import settings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Call:
    """One call to a peer, as it happened: what the page's wire panel shows."""

    service: str
    method: str
    path: str
    status: int | None
    ms: float
    cache: str = "miss"  # hit, revalidated or stale once an HTTP cache exists
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The call as JSON-ready data."""
        return asdict(self)


@dataclass(frozen=True)
class Outcome:
    """What one GET produced: a JSON answer with its status, or the reason there is none."""

    call: Call
    status_code: int | None = None
    data: Any = None
    reason: str | None = None  # why the peer is unavailable, in words; None when it answered

    @property
    def available(self) -> bool:
        """Whether the peer answered with JSON (any status below 500)."""
        return self.reason is None


@dataclass(frozen=True)
class Upstream:
    """One peer service: its name, base URL, time limit and HTTP client."""

    name: str
    base_url: str
    timeout: float
    client: httpx.Client


@dataclass(frozen=True)
class Upstreams:
    """The peers the assembler calls."""

    frostings: Upstream
    toppings: Upstream

    def close(self) -> None:
        """Release the clients' pooled connections."""
        self.frostings.client.close()
        self.toppings.client.close()


def upstream_create(
    *, name: str, base_url: str, timeout: float, transport: httpx.BaseTransport | None = None
) -> Upstream:
    """Build the client of one peer; ``transport`` replaces the network (tests)."""
    client = httpx.Client(
        base_url=base_url,
        timeout=timeout,
        transport=transport,
        headers={"Accept": "application/json"},
    )
    return Upstream(name=name, base_url=base_url, timeout=timeout, client=client)


def upstreams_create(
    *,
    frostings_url: str,
    toppings_url: str,
    timeout: float,
    transport: httpx.BaseTransport | None = None,
) -> Upstreams:
    """Build the clients of both peers."""
    return Upstreams(
        frostings=upstream_create(
            name="frostings", base_url=frostings_url, timeout=timeout, transport=transport
        ),
        toppings=upstream_create(
            name="toppings", base_url=toppings_url, timeout=timeout, transport=transport
        ),
    )


_built: Upstreams | None = None
_lock = threading.Lock()


def upstreams_get() -> Upstreams:
    """The process's peer clients, built from the settings on first use."""
    global _built
    with _lock:
        if _built is None:
            _built = upstreams_create(
                frostings_url=settings.FROSTINGS_URL,
                toppings_url=settings.TOPPINGS_URL,
                timeout=settings.UPSTREAM_TIMEOUT,
                transport=settings.UPSTREAM_TRANSPORT,
            )
        return _built


def upstreams_reset() -> None:
    """Forget the process's peer clients, so the next use builds them from the settings anew."""
    global _built
    with _lock:
        previous, _built = _built, None
    if previous is not None:
        previous.close()


def failure_reason(exc: httpx.HTTPError, *, timeout: float) -> str:
    """Say in words why a GET got no answer."""
    if isinstance(exc, httpx.TimeoutException):
        return f"did not answer within {timeout:g} s"
    return f"could not be reached ({type(exc).__name__})"


def upstream_get(*, upstream: Upstream, path: str) -> Outcome:
    """GET ``path`` from ``upstream``: its JSON answer, or why it is unavailable.

    Connection failures, time-outs, 5xx answers and answers that are not JSON are all
    ``unavailable`` outcomes; nothing raises. A 4xx with a JSON body (e.g. a 404
    problem) is an answer like any other: the caller decides what it means.
    """
    started = time.perf_counter()

    def call(status: int | None, error: str | None) -> Call:
        ms = round((time.perf_counter() - started) * 1000, 1)
        return Call(
            service=upstream.name, method="GET", path=path, status=status, ms=ms, error=error
        )

    try:
        response = upstream.client.get(path)
    except httpx.HTTPError as exc:
        reason = failure_reason(exc, timeout=upstream.timeout)
        logger.warning("GET %s%s failed: %s", upstream.base_url, path, reason)
        return Outcome(call=call(None, type(exc).__name__), reason=reason)
    if response.status_code >= 500:
        return Outcome(
            call=call(response.status_code, "ServerError"),
            status_code=response.status_code,
            reason=f"answered HTTP {response.status_code}",
        )
    try:
        data = response.json()
    except ValueError:
        return Outcome(
            call=call(response.status_code, "NotJSON"),
            status_code=response.status_code,
            reason="answered something that is not JSON",
        )
    return Outcome(
        call=call(response.status_code, None), status_code=response.status_code, data=data
    )
