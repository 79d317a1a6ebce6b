"""The peer clients over the chassis' resilient GET and an httpx.MockTransport.

Answers, every way a peer fails, retries, the circuit breaker and stale answers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from cupcake_chassis.upstream import ResilientUpstream, UpstreamPolicy
from cupcake_chassis.wiring import Wiring
from cupcake_testing.clock import ManualClock, ManualSpawn
from frostings.clients import BodiesClient, Topping, ToppingsClient, peers_create
from frostings.config import load_settings
from frostings.errors import UpstreamUnavailable

Handler = Callable[[httpx.Request], httpx.Response]

# Retries at once; one attempt unless a test is about retries.
FAST: dict[str, Any] = {
    "attempts": 1,
    "backoff_initial": 0.0,
    "backoff_max": 0.0,
    "backoff_jitter": 0.0,
}
KEEP_FOR_ERRORS = "public, max-age=0, stale-if-error=300"


def _upstream(
    service: str,
    handler: Handler,
    *,
    clock: ManualClock | None = None,
    spawn: ManualSpawn | None = None,
    **policy: Any,
) -> ResilientUpstream:
    """A client of ``service`` whose network is ``handler``, on a clock moved by hand and
    with its background trial calls run only when the test says."""
    wiring = Wiring(
        transport=httpx.MockTransport(handler),
        clock=clock or ManualClock(),
        spawn=spawn or ManualSpawn(),
    )
    return wiring.upstream(
        service, f"http://{service}.test", policy=UpstreamPolicy(**{**FAST, **policy})
    )


def _toppings(
    handler: Handler,
    *,
    clock: ManualClock | None = None,
    spawn: ManualSpawn | None = None,
    **policy: Any,
) -> ToppingsClient:
    return ToppingsClient(_upstream("toppings", handler, clock=clock, spawn=spawn, **policy))


def _bodies(handler: Handler, **policy: Any) -> BodiesClient:
    return BodiesClient(_upstream("bodies", handler, **policy))


def _down(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


def _timeout(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("timed out", request=request)


def _cherry(request: httpx.Request) -> httpx.Response:
    item = {"slug": "cherry", "name": "Cherry"}
    return httpx.Response(200, json={"items": [item]}, headers={"Cache-Control": KEEP_FOR_ERRORS})


class Scripted:
    """A peer that answers with ``handler``, which a test swaps to make it fail or recover."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        """Record the request and answer it."""
        self.requests.append(request)
        return self.handler(request)


FAILURES: dict[str, tuple[Handler, str]] = {
    "down": (_down, "could not be reached (ConnectError)"),
    "timeout": (_timeout, "did not answer in time"),
    "5xx": (lambda r: httpx.Response(500, text="boom"), "HTTP 500"),
    "4xx": (lambda r: httpx.Response(404, json={}), "HTTP 404"),
    "not json": (lambda r: httpx.Response(200, text="<html>"), "not JSON"),
    "malformed json": (
        lambda r: httpx.Response(200, text="{not", headers={"Content-Type": "application/json"}),
        "not JSON",
    ),
    "no items": (lambda r: httpx.Response(200, json={"data": []}), '"items"'),
    "items without slug": (lambda r: httpx.Response(200, json={"items": [{"x": 1}]}), '"slug"'),
    "a list": (lambda r: httpx.Response(200, json=[1, 2]), '"items"'),
}


def test_bodies_client_lists_body_slugs() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"items": [{"slug": "vanilla"}, {"slug": "carrot-cake"}]})

    assert _bodies(handler).body_slugs() == {"vanilla", "carrot-cake"}
    assert str(seen[0].url) == "http://bodies.test/api/v1/bodies"


def test_toppings_client_asks_for_the_slugs_and_keeps_what_exists() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        item = {"slug": "cherry", "name": "Cherry", "color": "#d2122e", "extra": 1}
        return httpx.Response(200, json={"items": [item, {"slug": "other", "name": "O"}]})

    found = _toppings(handler).toppings_by_slug(["flag", "cherry"])
    assert found.toppings == {"cherry": Topping(slug="cherry", name="Cherry", color="#d2122e")}
    assert found.stale is False
    assert seen[0].url.path == "/api/v1/toppings"
    assert seen[0].url.params["slug"] == "cherry,flag"


def test_toppings_client_does_not_call_for_no_slugs() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError("no request expected")

    assert _toppings(handler).toppings_by_slug([]).toppings == {}


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_bodies_client_reports_any_failure_as_upstream_unavailable(failure: str) -> None:
    handler, reason = FAILURES[failure]
    with pytest.raises(UpstreamUnavailable) as caught:
        _bodies(handler).body_slugs()
    assert caught.value.service == "bodies"
    assert reason in caught.value.reason


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_toppings_client_reports_any_failure_as_upstream_unavailable(failure: str) -> None:
    handler, reason = FAILURES[failure]
    with pytest.raises(UpstreamUnavailable) as caught:
        _toppings(handler).toppings_by_slug(["cherry"], stale_ok=True)
    assert caught.value.service == "toppings"
    assert reason in caught.value.reason
    assert "toppings service is unavailable" in str(caught.value)


def test_a_topping_without_a_name_is_a_malformed_answer() -> None:
    handler = lambda r: httpx.Response(200, json={"items": [{"slug": "cherry"}]})  # noqa: E731
    with pytest.raises(UpstreamUnavailable):
        _toppings(handler).toppings_by_slug(["cherry"])


def test_a_read_that_cannot_connect_is_tried_again_then_given_up() -> None:
    peer = Scripted(_down)
    with pytest.raises(UpstreamUnavailable):
        _toppings(peer, attempts=2).toppings_by_slug(["cherry"])
    assert len(peer.requests) == 2


def test_the_breaker_opens_after_repeated_failures_then_answers_without_calling_toppings() -> None:
    peer = Scripted(_down)
    clock = ManualClock()
    toppings = _toppings(peer, clock=clock, breaker_failures=3, breaker_reset=60)
    for _ in range(3):
        with pytest.raises(UpstreamUnavailable):
            toppings.toppings_by_slug(["cherry"])
    assert len(peer.requests) == 3

    started = clock.monotonic()
    with pytest.raises(UpstreamUnavailable) as caught:
        toppings.toppings_by_slug(["cherry"])
    assert "circuit open after repeated failures" in caught.value.reason
    assert len(peer.requests) == 3
    assert clock.monotonic() == started


def test_the_breaker_closes_again_once_toppings_answers() -> None:
    peer = Scripted(_down)
    clock, spawn = ManualClock(), ManualSpawn()
    toppings = _toppings(peer, clock=clock, spawn=spawn, breaker_failures=2, breaker_reset=2.0)
    for _ in range(2):
        with pytest.raises(UpstreamUnavailable):
            toppings.toppings_by_slug(["cherry"])
    peer.handler = _cherry
    clock.advance(2.0)
    # Half-open: this read is refused at once while the trial call goes in the background.
    with pytest.raises(UpstreamUnavailable):
        toppings.toppings_by_slug(["cherry"])
    assert len(peer.requests) == 2
    assert spawn.run() == 1
    assert toppings.upstream.breaker.current_state == "closed"
    assert set(toppings.toppings_by_slug(["cherry"]).toppings) == {"cherry"}


def test_a_read_accepts_the_last_good_answer_when_toppings_fails_and_says_it_is_stale() -> None:
    peer = Scripted(_cherry)
    toppings = _toppings(peer)
    fresh = toppings.toppings_by_slug(["cherry"], stale_ok=True)
    peer.handler = _down
    stale = toppings.toppings_by_slug(["cherry"], stale_ok=True)
    assert stale.stale is True and fresh.stale is False
    assert stale.toppings == fresh.toppings == {"cherry": Topping(slug="cherry", name="Cherry")}
    assert len(peer.requests) == 2


def test_a_check_refuses_the_last_good_answer_of_toppings() -> None:
    peer = Scripted(_cherry)
    toppings = _toppings(peer)
    toppings.toppings_by_slug(["cherry"])
    peer.handler = lambda r: httpx.Response(503, json={})
    with pytest.raises(UpstreamUnavailable) as caught:
        toppings.toppings_by_slug(["cherry"])
    assert "HTTP 503" in caught.value.reason
    assert "cached answer is not good enough" in caught.value.reason


def test_bodies_never_answer_from_a_stale_answer() -> None:
    def listed(request: httpx.Request) -> httpx.Response:
        items = {"items": [{"slug": "vanilla"}]}
        return httpx.Response(200, json=items, headers={"Cache-Control": KEEP_FOR_ERRORS})

    peer = Scripted(listed)
    bodies = _bodies(peer)
    assert bodies.body_slugs() == {"vanilla"}
    peer.handler = _down
    with pytest.raises(UpstreamUnavailable, match="cached answer"):
        bodies.body_slugs()


def test_peer_clients_are_built_from_the_config() -> None:
    config = load_settings(
        {
            "BODIES_URL": "http://b.test/",
            "TOPPINGS_URL": "http://t.test",
            "UPSTREAM_ATTEMPTS": "3",
            "BREAKER_FAILURES": "4",
            "BREAKER_RESET": "0.5",
        }
    )
    timeouts: list[object] = []

    def handler(request: httpx.Request) -> httpx.Response:
        timeouts.append(request.extensions["timeout"]["read"])
        return httpx.Response(200, json={"items": [{"slug": request.url.host, "name": "N"}]})

    peers = peers_create(config, Wiring(transport=httpx.MockTransport(handler)))
    assert peers.bodies.body_slugs() == {"b.test"}
    assert set(peers.toppings.toppings_by_slug(["t.test"]).toppings) == {"t.test"}
    assert timeouts == [1.0, 1.0]
    for client, name in ((peers.bodies, "bodies"), (peers.toppings, "toppings")):
        assert client.upstream.name == name
        policy = client.upstream.policy
        assert (policy.timeout, policy.attempts) == (1.0, 3)
        assert (policy.breaker_failures, policy.breaker_reset) == (4, 0.5)
    assert peers.bodies.upstream.breaker is not peers.toppings.upstream.breaker
