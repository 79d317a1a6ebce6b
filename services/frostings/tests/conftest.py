"""Fixtures shared by every test: fake peer services behind an httpx MockTransport."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import httpx
import pytest

from cupcake_chassis.wiring import Wiring
from cupcake_testing.clock import ManualClock, ManualSpawn

# Log lines are written in the test's own thread, so pytest captures them with the test.
os.environ.setdefault("CUPCAKE_LOG_QUEUE", "0")

BODIES_URL = "http://bodies.test"
TOPPINGS_URL = "http://toppings.test"

BODIES = ("carrot-cake", "chocolate", "vanilla")
TOPPINGS: dict[str, dict[str, Any]] = {
    slug: {
        "slug": slug,
        "name": name,
        "description": f"{name} on top.",
        "color": color,
        "image_url": f"{TOPPINGS_URL}/api/v1/toppings/{slug}/image.svg",
    }
    for slug, name, color in (
        ("cherry", "Cherry", "#d2122e"),
        ("flag", "Flag", "#2b6cb0"),
        ("sprinkles", "Sprinkles", "#ff6fb5"),
    )
}


class FakePeers:
    """The bodies and toppings services as a MockTransport: their catalogues and failures."""

    bodies_url = BODIES_URL
    toppings_url = TOPPINGS_URL

    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock
        self.bodies = set(BODIES)
        self.toppings = dict(TOPPINGS)
        self.failures: dict[str, str] = {}
        # Seconds each service takes to answer, on the clock.
        self.delays: dict[str, float] = {}
        self.requests: list[httpx.Request] = []
        # Cache-Control of good answers; None sends none (nothing is then kept to serve stale).
        self.cache_control: str | None = None

    def requests_to(self, service: str) -> list[httpx.Request]:
        """The requests ``service`` received, in order."""
        return [r for r in self.requests if r.url.host.split(".")[0] == service]

    def fail(self, service: str, how: str) -> None:
        """Make ``service`` fail: ``down``, ``timeout``, ``error`` (5xx) or ``garbage``."""
        self.failures[service] = how

    def transport(self) -> httpx.MockTransport:
        """A transport answering as the two services would."""
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer one request, or fail the way the service was told to."""
        self.requests.append(request)
        service = request.url.host.split(".")[0]
        self.clock.advance(self.delays.get(service, 0.0))
        how = self.failures.get(service)
        if how == "down":
            raise httpx.ConnectError("connection refused", request=request)
        if how == "timeout":
            raise httpx.ReadTimeout("timed out", request=request)
        if how == "error":
            return httpx.Response(503, json={"type": "about:blank", "status": 503})
        if how == "garbage":
            return httpx.Response(200, text="<html>not json</html>")
        if service == "bodies" and request.url.path == "/api/v1/bodies":
            items = [{"slug": slug, "name": slug.title()} for slug in sorted(self.bodies)]
            return self._good({"items": items})
        if service == "toppings" and request.url.path == "/api/v1/toppings":
            wanted = request.url.params.get("slug")
            slugs = sorted(self.toppings) if wanted is None else wanted.split(",")
            items = [self.toppings[slug] for slug in slugs if slug in self.toppings]
            return self._good({"items": items})
        return httpx.Response(404, json={"type": "about:blank", "status": 404})

    def _good(self, body: dict[str, Any]) -> httpx.Response:
        headers = {} if self.cache_control is None else {"Cache-Control": self.cache_control}
        return httpx.Response(200, json=body, headers=headers)


@pytest.fixture
def peers_fake(clock: ManualClock) -> FakePeers:
    """Fake bodies and toppings services holding the design's catalogue."""
    return FakePeers(clock)


@pytest.fixture
def wiring(peers_fake: FakePeers, clock: ManualClock, spawn: ManualSpawn) -> Wiring:
    """What the app's peer clients and deadlines run on in a test: the fake peers, the
    test's clock and spawn."""
    return Wiring(transport=peers_fake.transport(), clock=clock, spawn=spawn)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests by their folder: ``unit`` or ``integration``."""
    for item in items:
        folder = Path(str(item.path)).parent.name
        if folder in {"unit", "integration"}:
            item.add_marker(getattr(pytest.mark, folder))
