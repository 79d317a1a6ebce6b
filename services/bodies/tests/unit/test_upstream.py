"""One GET to a peer: every failure is an outcome with a reason and a recorded call; none raises."""

import httpx
import pytest
from pytest_django import Settings

from bodies.assembler import upstream as upstream_module
from bodies.assembler.upstream import (
    Upstream,
    upstream_create,
    upstream_get,
    upstreams_get,
    upstreams_reset,
)

pytestmark = pytest.mark.unit


def peer(handler: httpx.MockTransport | None = None, *, timeout: float = 1.0) -> Upstream:
    """A peer named toppings whose network is ``handler``."""
    return upstream_create(
        name="toppings", base_url="http://toppings.test", timeout=timeout, transport=handler
    )


def answering(response: httpx.Response) -> httpx.MockTransport:
    """A transport that always gives ``response``."""
    return httpx.MockTransport(lambda request: response)


def raising(exc_class: type[httpx.TransportError]) -> httpx.MockTransport:
    """A transport that always fails with ``exc_class``."""

    def fail(request: httpx.Request) -> httpx.Response:
        raise exc_class("simulated", request=request)

    return httpx.MockTransport(fail)


def test_a_json_answer_is_available_and_recorded_as_a_call() -> None:
    outcome = upstream_get(
        upstream=peer(answering(httpx.Response(200, json={"items": []}))), path="/api/v1/toppings"
    )

    assert outcome.available
    assert outcome.status_code == 200
    assert outcome.data == {"items": []}
    call = outcome.call.as_dict()
    assert {k: v for k, v in call.items() if k != "ms"} == {
        "service": "toppings",
        "method": "GET",
        "path": "/api/v1/toppings",
        "status": 200,
        "cache": "miss",
        "error": None,
    }
    assert call["ms"] >= 0


def test_a_404_problem_is_an_answer_for_the_caller_to_judge() -> None:
    answer = httpx.Response(404, json={"status": 404}, headers={"Content-Type": "application/json"})

    outcome = upstream_get(upstream=peer(answering(answer)), path="/api/v1/toppings/gum")

    assert outcome.available
    assert outcome.status_code == 404


@pytest.mark.parametrize(
    ("exc_class", "reason", "error"),
    [
        (httpx.ConnectError, "could not be reached (ConnectError)", "ConnectError"),
        (httpx.ConnectTimeout, "did not answer within 0.25 s", "ConnectTimeout"),
        (httpx.ReadTimeout, "did not answer within 0.25 s", "ReadTimeout"),
        (
            httpx.RemoteProtocolError,
            "could not be reached (RemoteProtocolError)",
            "RemoteProtocolError",
        ),
    ],
)
def test_a_peer_that_does_not_answer_is_unavailable_with_the_reason(
    exc_class: type[httpx.TransportError], reason: str, error: str
) -> None:
    outcome = upstream_get(upstream=peer(raising(exc_class), timeout=0.25), path="/api/v1/toppings")

    assert not outcome.available
    assert outcome.reason == reason
    assert outcome.call.status is None
    assert outcome.call.error == error


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_5xx_is_unavailable(status: int) -> None:
    outcome = upstream_get(
        upstream=peer(answering(httpx.Response(status, json={}))), path="/api/v1/toppings"
    )

    assert not outcome.available
    assert outcome.reason == f"answered HTTP {status}"
    assert (outcome.call.status, outcome.call.error) == (status, "ServerError")


@pytest.mark.parametrize("body", [b"<html>down</html>", b"", b"\xff\xfe"])
def test_an_answer_that_is_not_json_is_unavailable(body: bytes) -> None:
    outcome = upstream_get(
        upstream=peer(answering(httpx.Response(200, content=body))), path="/api/v1/toppings"
    )

    assert not outcome.available
    assert outcome.reason == "answered something that is not JSON"
    assert outcome.call.error == "NotJSON"


def test_every_phase_of_a_call_is_bounded_by_the_upstream_timeout() -> None:
    client = peer(timeout=0.25).client

    assert client.timeout == httpx.Timeout(0.25)
    assert str(client.base_url) == "http://toppings.test"
    assert client.headers["Accept"] == "application/json"


def test_the_clients_are_built_once_on_first_use_from_the_settings(settings: Settings) -> None:
    upstreams_reset()
    assert upstream_module._built is None

    first = upstreams_get()

    assert upstreams_get() is first
    assert first.frostings.base_url == settings.FROSTINGS_URL == "http://127.0.0.1:5000"
    assert first.toppings.base_url == settings.TOPPINGS_URL == "http://127.0.0.1:6500"
    assert first.toppings.timeout == settings.UPSTREAM_TIMEOUT == 1.0


def test_changed_settings_build_new_clients(settings: Settings) -> None:
    before = upstreams_get()

    settings.UPSTREAM_TIMEOUT = 0.5
    after = upstreams_get()

    assert after is not before
    assert after.frostings.timeout == after.toppings.timeout == 0.5
