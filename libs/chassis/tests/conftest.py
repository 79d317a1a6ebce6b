"""Fixtures for the chassis tests: a scripted upstream behind an httpx.MockTransport, a
clock moved by hand and background work run by hand."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

Handler = Callable[[httpx.Request], httpx.Response]


class ScriptedUpstream:
    """An upstream whose behaviour a test sets, counting the requests that reach it."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        # As sent: the cache restores a request's own headers once it has been sent.
        self.sent_headers: list[dict[str, str]] = []
        self.behaviour: Handler = self.catalogue

    def catalogue(self, request: httpx.Request) -> httpx.Response:
        """A cacheable catalogue answer with an ETag."""
        if request.headers.get("if-none-match") == '"v1"':
            return httpx.Response(304, headers={"ETag": '"v1"'})
        return httpx.Response(
            200,
            json={"items": [{"slug": "cherry"}]},
            headers={
                "ETag": '"v1"',
                "Cache-Control": "public, max-age=5, stale-if-error=300",
            },
        )

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Record the request and answer as told."""
        self.requests.append(request)
        self.sent_headers.append(dict(request.headers))
        return self.behaviour(request)

    def transport(self) -> httpx.MockTransport:
        """The transport a client under test sends through."""
        return httpx.MockTransport(self.handle)


@pytest.fixture
def upstream() -> ScriptedUpstream:
    """A scripted upstream serving a cacheable catalogue until told otherwise."""
    return ScriptedUpstream()


def refuse(request: httpx.Request) -> httpx.Response:
    """Behave like a service that is down."""
    raise httpx.ConnectError("connection refused", request=request)
