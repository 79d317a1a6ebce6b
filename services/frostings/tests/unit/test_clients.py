"""The peer clients over httpx.MockTransport: answers, and every way a peer fails."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from frostings.clients import BodiesClient, Topping, ToppingsClient, peers_create
from frostings.config import load_config
from frostings.errors import UpstreamUnavailable

Handler = Callable[[httpx.Request], httpx.Response]


def _toppings(handler: Handler) -> ToppingsClient:
    return ToppingsClient(
        base_url="http://toppings.test", timeout=0.5, transport=httpx.MockTransport(handler)
    )


def _bodies(handler: Handler) -> BodiesClient:
    return BodiesClient(
        base_url="http://bodies.test", timeout=0.5, transport=httpx.MockTransport(handler)
    )


def _down(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


def _timeout(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("timed out", request=request)


FAILURES: dict[str, tuple[Handler, str]] = {
    "down": (_down, "could not be reached"),
    "timeout": (_timeout, "did not answer in time"),
    "5xx": (lambda r: httpx.Response(500, text="boom"), "HTTP 500"),
    "4xx": (lambda r: httpx.Response(404, json={}), "HTTP 404"),
    "malformed json": (lambda r: httpx.Response(200, text="{not json"), "not JSON"),
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
    assert seen[0].headers["Accept"] == "application/json"


def test_toppings_client_asks_for_the_slugs_and_keeps_what_exists() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        item = {"slug": "cherry", "name": "Cherry", "color": "#d2122e", "extra": 1}
        return httpx.Response(200, json={"items": [item, {"slug": "other", "name": "O"}]})

    found = _toppings(handler).toppings_by_slug(["flag", "cherry"])
    assert found == {"cherry": Topping(slug="cherry", name="Cherry", color="#d2122e")}
    assert seen[0].url.path == "/api/v1/toppings"
    assert seen[0].url.params["slug"] == "cherry,flag"


def test_toppings_client_does_not_call_for_no_slugs() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError("no request expected")

    assert _toppings(handler).toppings_by_slug([]) == {}


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
        _toppings(handler).toppings_by_slug(["cherry"])
    assert caught.value.service == "toppings"
    assert reason in caught.value.reason
    assert "toppings service is unavailable" in str(caught.value)


def test_a_topping_without_a_name_is_a_malformed_answer() -> None:
    handler = lambda r: httpx.Response(200, json={"items": [{"slug": "cherry"}]})  # noqa: E731
    with pytest.raises(UpstreamUnavailable):
        _toppings(handler).toppings_by_slug(["cherry"])


def test_peer_clients_are_built_from_the_config() -> None:
    config = load_config({"BODIES_URL": "http://b.test/", "TOPPINGS_URL": "http://t.test"})
    timeouts: list[object] = []

    def handler(request: httpx.Request) -> httpx.Response:
        timeouts.append(request.extensions["timeout"]["read"])
        return httpx.Response(200, json={"items": [{"slug": request.url.host, "name": "N"}]})

    config["PEER_TRANSPORT"] = httpx.MockTransport(handler)
    peers = peers_create(config)
    assert peers.bodies.body_slugs() == {"b.test"}
    assert set(peers.toppings.toppings_by_slug(["t.test"])) == {"t.test"}
    assert timeouts == [1.0, 1.0]
