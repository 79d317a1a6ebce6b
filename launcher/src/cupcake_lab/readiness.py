"""Probing a service's /healthz and /readyz.

With the standard library's HTTP client: the launcher runs as long as the lab, and an
HTTP library with its TLS and command-line extras would cost it megabytes for a few
requests to loopback.
"""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass
from urllib.parse import urlsplit

HttpError = (OSError, http.client.HTTPException)


@dataclass(frozen=True)
class Answer:
    """An HTTP answer: its status and its body."""

    status: int
    body: bytes

    @property
    def text(self) -> str:
        """The body as text."""
        return self.body.decode("utf-8", "replace")


def http_call(
    url: str, *, method: str = "GET", headers: dict[str, str] | None = None, timeout: float
) -> Answer:
    """Send one plain-HTTP request to ``url``; OSError or HTTPException if it fails."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)
    try:
        connection.request(method, parts.path or "/", headers=headers or {})
        response = connection.getresponse()
        return Answer(status=response.status, body=response.read())
    finally:
        connection.close()


@dataclass(frozen=True)
class Probe:
    """What one look at a service found."""

    alive: bool
    ready: bool
    detail: str


def probe(base_url: str, *, timeout: float = 1.0) -> Probe:
    """Ask ``base_url`` whether it is alive and ready; never raises for a service that is down."""
    try:
        health = http_call(f"{base_url}/healthz", timeout=timeout)
    except HttpError as exc:
        return Probe(alive=False, ready=False, detail=type(exc).__name__)
    if health.status != 200:
        return Probe(alive=False, ready=False, detail=f"healthz {health.status}")
    try:
        ready = http_call(f"{base_url}/readyz", timeout=timeout)
    except HttpError as exc:
        return Probe(alive=True, ready=False, detail=f"readyz {type(exc).__name__}")
    if ready.status == 200:
        return Probe(alive=True, ready=True, detail=ready_detail(ready.body))
    return Probe(alive=True, ready=False, detail=f"readyz {ready.status}: {ready.text[:200]}")


def ready_detail(body: bytes) -> str:
    """``ready``, or ``degraded: <failed checks>`` for a service that serves reads but says
    some check failed (a database refusing writes, a full disk)."""
    try:
        report = json.loads(body)
        checks = report["checks"]
        degraded = report["status"] == "degraded"
        failed = sorted(name for name, check in checks.items() if check["status"] != "ok")
    except (ValueError, TypeError, KeyError, AttributeError):
        return "ready"
    return f"degraded: {', '.join(failed)}" if degraded else "ready"
