"""A fake of the frostings and toppings services behind one httpx.MockTransport.

It serves the seed catalogue and pairing table (docs/architecture.md) with the real
services' JSON shapes, and each service can be switched to fail the ways a real one does.
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Callable
from typing import Any, Literal

import httpx

from bodies.assembler.schemas import Part
from bodies.assembler.upstream import Upstreams
from cupcake_chassis.upstream import UpstreamPolicy
from cupcake_testing.clock import ManualClock

FROSTINGS_URL = "http://frostings.test"
TOPPINGS_URL = "http://toppings.test"
HOSTS = {"frostings.test": "frostings", "toppings.test": "toppings"}

# Has the running app serve with the given peer clients for the rest of the test (the
# ``upstreams_install`` fixture).
UpstreamsInstall = Callable[[Upstreams], Upstreams]

# The chassis' policy with the settings' defaults, but retries at once, and a breaker that
# stays closed: a composition makes two calls to frostings side by side, and with a failing
# peer the breaker would open in the middle of one, at a moment the threads decide. The
# breaker's own tests build their peers with BREAKER_POLICY.
FAST_POLICY = UpstreamPolicy(
    timeout=1.0,
    attempts=2,
    breaker_failures=1000,
    backoff_initial=0.0,
    backoff_max=0.0,
    backoff_jitter=0.0,
)
BREAKER_POLICY = UpstreamPolicy(
    timeout=1.0,
    attempts=2,
    breaker_failures=3,
    breaker_reset=2.0,
    backoff_initial=0.0,
    backoff_max=0.0,
    backoff_jitter=0.0,
)

# stall: accepts the request and never answers, so the client's own read timeout ends it
# (on the test's clock, which moves by that timeout: nothing waits).
Mode = Literal["ok", "down", "timeout", "stall", "error", "garbage", "wrong-shape"]
# The admin token the peers' /_chaos expects (the test suite's, see conftest.ADMIN_TOKEN).
CHAOS_TOKEN = "test-admin-token"
NO_CHAOS = {"latency_ms": 0, "error_rate": 0.0, "down": False, "expires_in_s": None}


def item(slug: str, name: str, color: str, owner: str, plural: str) -> dict[str, Any]:
    """A catalogue item as its owner serves it."""
    return {
        "slug": slug,
        "name": name,
        "description": f"{name}, as the design has it.",
        "color": color,
        "image_url": f"http://{owner}.test/api/v1/{plural}/{slug}/image.svg",
    }


def frosting(slug: str, name: str, color: str, bodies: list[str], toppings: list[str]) -> Any:
    """A frosting with its pairings, sorted like the frostings service sorts them."""
    return {
        **item(slug, name, color, "frostings", "frostings"),
        "bodies": sorted(bodies),
        "toppings": sorted(toppings),
    }


# The pairing table (docs/architecture.md), owned by the frostings service.
ALL_TOPPINGS = ["sprinkles", "cherry", "flag"]
FROSTINGS = [
    frosting("chocolate", "Chocolate", "#5b3a29", ["chocolate", "vanilla"], ALL_TOPPINGS),
    frosting("neon-blue", "Neon Blue", "#1fb6ff", ["vanilla"], ["flag"]),
    frosting("strawberry", "Strawberry", "#f7a1c4", ["vanilla"], ["cherry", "flag"]),
    frosting(
        "vanilla", "Vanilla", "#fff4d6", ["vanilla", "chocolate", "carrot-cake"], ALL_TOPPINGS
    ),
]
TOPPINGS = [
    item("cherry", "Cherry", "#c8102e", "toppings", "toppings"),
    item("flag", "Flag", "#2e7d32", "toppings", "toppings"),
    item("sprinkles", "Sprinkles", "#ff69b4", "toppings", "toppings"),
]


def problem(status: int, detail: str) -> httpx.Response:
    """A problem+json answer."""
    body = {"type": "about:blank", "title": "Not Found", "status": status, "detail": detail}
    return httpx.Response(status, json=body, headers={"Content-Type": "application/problem+json"})


class FakePeers:
    """Frostings and toppings, in memory, each in a ``Mode`` the test chooses; time passes
    for them on ``clock``."""

    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock
        self.modes: dict[str, Mode] = {"frostings": "ok", "toppings": "ok"}
        self.frostings: list[dict[str, Any]] = copy.deepcopy(FROSTINGS)
        self.toppings: list[dict[str, Any]] = copy.deepcopy(TOPPINGS)
        self.requests: list[str] = []
        # Frostings answers its toppings call degraded, as when its own call to toppings fails.
        self.chain_broken = False
        self.before: Callable[[httpx.Request], None] | None = None
        # Cache-Control of every 200 catalogue answer (None: no header, nothing is cached).
        self.cache_control: str | None = None
        # Each peer's /_chaos settings, and the Request-Deadline-Ms of each request, in order.
        self.chaos: dict[str, dict[str, Any]] = {
            "frostings": dict(NO_CHAOS),
            "toppings": dict(NO_CHAOS),
        }
        self.deadlines: list[str | None] = []
        self._lock = threading.Lock()
        self.transport = httpx.MockTransport(self.handle)

    def set(self, service: str, mode: Mode) -> None:
        """Put ``service`` in ``mode``."""
        self.modes[service] = mode

    def frosting_change(self, slug: str, **changes: Any) -> None:
        """Edit a frosting, as a catalogue write at its owner would."""
        next(f for f in self.frostings if f["slug"] == slug).update(changes)

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer one request the way the service it is addressed to would, in its mode."""
        service = HOSTS[request.url.host]
        with self._lock:
            self.requests.append(f"{service} {request.url.path}")
            self.deadlines.append(request.headers.get("Request-Deadline-Ms"))
        if self.before is not None:
            self.before(request)
        mode = self.modes[service]
        if mode == "down":
            raise httpx.ConnectError("connection refused", request=request)
        if mode == "timeout":
            raise httpx.ReadTimeout("timed out", request=request)
        if mode == "stall":
            self.clock.advance(request.extensions["timeout"]["read"])
            raise httpx.ReadTimeout("timed out", request=request)
        if mode == "error":
            return problem(500, "the server failed to answer; this is logged")
        if mode == "garbage":
            return httpx.Response(200, text="<html>surprise</html>")
        if mode == "wrong-shape":
            return httpx.Response(200, json={"results": "nope", "items": [{"slug": 7}]})
        if request.url.path == "/_chaos":
            return self.chaos_answer(service, request)
        if service == "frostings":
            answer = self.frostings_answer(request.url.path)
        else:
            answer = self.toppings_answer(request.url.path)
        if self.cache_control is not None and answer.status_code == 200:
            answer.headers["Cache-Control"] = self.cache_control
        return answer

    def chaos_answer(self, service: str, request: httpx.Request) -> httpx.Response:
        """``/_chaos`` of a peer: GET or PUT its settings, with the admin token only."""
        if request.headers.get("Authorization") != f"Bearer {CHAOS_TOKEN}":
            return problem(401, "missing or wrong bearer token")
        if request.method == "PUT":
            self.chaos[service] = {**NO_CHAOS, **json.loads(request.content)}
        return httpx.Response(200, json=self.chaos[service])

    def frostings_answer(self, path: str) -> httpx.Response:
        """The frostings service's reads."""
        parts = path.removeprefix("/api/v1/frostings").strip("/").split("/")
        if parts == [""]:
            return httpx.Response(200, json={"items": self.frostings})
        found = next((f for f in self.frostings if f["slug"] == parts[0]), None)
        if found is None:
            return problem(404, f"no frosting {parts[0]!r}")
        if parts[1:] == ["toppings"]:
            return self.frosting_toppings_answer(found)
        return httpx.Response(200, json=found)

    def frosting_toppings_answer(self, found: dict[str, Any]) -> httpx.Response:
        """``/frostings/{slug}/toppings``: degraded, as the real one, while toppings fails."""
        if self.chain_broken or self.modes["toppings"] != "ok":
            items = [{"slug": slug, "available": False} for slug in found["toppings"]]
            body = {"items": items, "status": "degraded", "detail": "toppings is unavailable"}
            return httpx.Response(200, json=body)
        by_slug = {t["slug"]: t for t in self.toppings}
        items = [
            {**by_slug[slug], "available": True}
            if slug in by_slug
            else {"slug": slug, "available": False}
            for slug in found["toppings"]
        ]
        return httpx.Response(200, json={"items": items, "status": "ok"})

    def toppings_answer(self, path: str) -> httpx.Response:
        """The toppings service's reads."""
        slug = path.removeprefix("/api/v1/toppings").strip("/")
        if not slug:
            return httpx.Response(200, json={"items": self.toppings})
        found = next((t for t in self.toppings if t["slug"] == slug), None)
        if found is None:
            return problem(404, f"no topping {slug!r}")
        return httpx.Response(200, json=found)


def body_parts() -> list[Part]:
    """The seed bodies as the bodies database gives them, sorted by slug."""
    bodies = [
        ("carrot-cake", "Carrot Cake", "#d9823b"),
        ("chocolate", "Chocolate", "#6b3e26"),
        ("vanilla", "Vanilla", "#f3e5ab"),
    ]
    return [Part(**item(slug, name, color, "bodies", "bodies")) for slug, name, color in bodies]
