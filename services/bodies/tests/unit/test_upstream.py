"""One GET to a peer through the chassis: every failure is an outcome with a reason in words
and the chassis' record of the call; none raises."""

import dataclasses

import httpx
import pytest
from django.conf import settings as django_settings
from pytest_django import Settings

from bodies.assembler.apps import app_upstreams, policy_from_settings
from bodies.assembler.upstream import Upstream, upstream_create, upstream_get
from cupcake_chassis.wiring import Wiring
from cupcake_testing.clock import ManualClock, ManualSpawn
from cupcake_testing.deadlines import under_deadline
from fakes import BREAKER_POLICY, FAST_POLICY

pytestmark = pytest.mark.unit


def peer(
    handler: httpx.MockTransport | None = None,
    *,
    timeout: float = 1.0,
    clock: ManualClock | None = None,
) -> Upstream:
    """A peer named toppings whose network is ``handler``, on ``clock`` (one of its own if
    not given) and with its trial calls kept, never run."""
    policy = dataclasses.replace(FAST_POLICY, timeout=timeout)
    wiring = Wiring(transport=handler, clock=clock or ManualClock(), spawn=ManualSpawn())
    return upstream_create(
        name="toppings", base_url="http://toppings.test", policy=policy, wiring=wiring
    )


def answering(response: httpx.Response) -> httpx.MockTransport:
    """A transport that always gives ``response``."""
    return httpx.MockTransport(lambda request: response)


def raising(exc_class: type[httpx.TransportError]) -> httpx.MockTransport:
    """A transport that always fails with ``exc_class``."""

    def fail(request: httpx.Request) -> httpx.Response:
        raise exc_class("simulated", request=request)

    return httpx.MockTransport(fail)


def test_a_json_answer_is_available_and_recorded_as_a_chassis_call() -> None:
    fetched = upstream_get(
        upstream=peer(answering(httpx.Response(200, json={"items": []}))), path="/api/v1/toppings"
    )

    assert fetched.outcome.available and not fetched.outcome.stale
    assert fetched.reason is None
    assert fetched.outcome.status_code == 200
    assert fetched.outcome.data == {"items": []}
    call = fetched.call.as_dict()
    assert {k: v for k, v in call.items() if k != "ms"} == {
        "service": "toppings",
        "method": "GET",
        "path": "/api/v1/toppings",
        "status": 200,
        "cache": "miss",
        "error": None,
        "failure": None,
        "attempts": 1,
        "budget_ms": 900,  # the peer is told a little less than the call may wait
        "breaker": "closed",
    }
    assert call["ms"] >= 0


def test_a_404_problem_is_an_answer_for_the_caller_to_judge() -> None:
    answer = httpx.Response(404, json={"status": 404}, headers={"Content-Type": "application/json"})

    fetched = upstream_get(upstream=peer(answering(answer)), path="/api/v1/toppings/gum")

    assert fetched.outcome.available and fetched.reason is None
    assert fetched.outcome.status_code == 404


@pytest.mark.parametrize(
    ("exc_class", "reason", "attempts"),
    [
        (httpx.ConnectError, "could not be reached (ConnectError)", 2),
        (httpx.ConnectTimeout, "did not answer within 0.25 s", 1),
        (httpx.ReadTimeout, "did not answer within 0.25 s", 1),
        (httpx.RemoteProtocolError, "could not be reached (RemoteProtocolError)", 2),
    ],
)
def test_a_peer_that_does_not_answer_is_unavailable_with_the_reason(
    exc_class: type[httpx.TransportError], reason: str, attempts: int
) -> None:
    fetched = upstream_get(upstream=peer(raising(exc_class), timeout=0.25), path="/api/v1/toppings")

    assert not fetched.outcome.available
    assert fetched.reason == reason
    assert fetched.call.status is None
    assert fetched.call.error == exc_class.__name__
    # Connection failures are retried; a time-out is not (it would only time out again).
    assert fetched.call.attempts == attempts


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_5xx_is_retried_then_unavailable(status: int) -> None:
    fetched = upstream_get(
        upstream=peer(answering(httpx.Response(status, json={}))), path="/api/v1/toppings"
    )

    assert not fetched.outcome.available
    assert fetched.reason == f"answered HTTP {status}"
    assert (fetched.call.status, fetched.call.attempts) == (status, 2)


@pytest.mark.parametrize("body", [b"<html>down</html>", b"", b"\xff\xfe"])
def test_an_answer_that_is_not_json_is_unavailable(body: bytes) -> None:
    fetched = upstream_get(
        upstream=peer(answering(httpx.Response(200, content=body))), path="/api/v1/toppings"
    )

    assert not fetched.outcome.available
    assert fetched.reason == "answered something that is not JSON"


def test_a_time_out_under_a_nearer_deadline_says_the_deadline(clock: ManualClock) -> None:
    def stall(request: httpx.Request) -> httpx.Response:
        clock.advance(request.extensions["timeout"]["read"])  # silent until given up on
        raise httpx.ReadTimeout("timed out", request=request)

    toppings = peer(httpx.MockTransport(stall), clock=clock)
    fetched = under_deadline(
        0.5, lambda: upstream_get(upstream=toppings, path="/x"), clock=clock, spend=0.2
    )

    # What was left of the 0.5 s deadline when the call started, and what it waited.
    assert fetched.reason == "did not answer within 0.3 s"
    assert fetched.call.ms == 300.0


def test_no_call_is_made_once_the_requests_deadline_has_run_out(clock: ManualClock) -> None:
    asked: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(request)
        return httpx.Response(200)

    transport = httpx.MockTransport(answer)

    fetched = under_deadline(
        0.02,
        lambda: upstream_get(upstream=peer(transport, clock=clock), path="/x"),
        clock=clock,
        spend=0.03,
    )

    assert fetched.reason == "was not asked: the request's deadline had run out"
    assert fetched.call.error == "deadline exhausted"
    assert asked == []


def test_after_repeated_failures_the_circuit_opens_and_the_peer_is_not_asked() -> None:
    asked: list[httpx.Request] = []

    def fail(request: httpx.Request) -> httpx.Response:
        asked.append(request)
        return httpx.Response(500, json={})

    toppings = upstream_create(
        name="toppings",
        base_url="http://toppings.test",
        policy=BREAKER_POLICY,
        wiring=Wiring(
            transport=httpx.MockTransport(fail), clock=ManualClock(), spawn=ManualSpawn()
        ),
    )
    upstream_get(upstream=toppings, path="/x")
    upstream_get(upstream=toppings, path="/x")
    sent = len(asked)

    fetched = upstream_get(upstream=toppings, path="/x")

    assert sent == BREAKER_POLICY.breaker_failures
    assert len(asked) == sent
    assert fetched.reason == "is not being asked for now (circuit open after repeated failures)"
    assert (fetched.call.error, fetched.call.breaker) == ("circuit open", "open")


def test_the_last_good_answer_is_served_stale_with_the_reason() -> None:
    answers = iter(
        [
            httpx.Response(
                200, json={"items": []}, headers={"Cache-Control": "max-age=0, stale-if-error=60"}
            )
        ]
    )

    def once_then_down(request: httpx.Request) -> httpx.Response:
        answer = next(answers, None)
        if answer is None:
            raise httpx.ConnectError("refused", request=request)
        return answer

    toppings = peer(httpx.MockTransport(once_then_down))
    upstream_get(upstream=toppings, path="/api/v1/toppings")

    fetched = upstream_get(upstream=toppings, path="/api/v1/toppings")

    assert fetched.outcome.stale and fetched.outcome.data == {"items": []}
    assert fetched.reason == "could not be reached (ConnectError)"
    assert fetched.call.cache == "stale"


def test_the_app_builds_its_peer_clients_from_the_settings_once(settings: Settings) -> None:
    built = app_upstreams()

    assert app_upstreams() is built
    assert built.frostings.base_url == settings.FROSTINGS_URL == "http://127.0.0.1:5000"
    assert built.toppings.base_url == settings.TOPPINGS_URL == "http://127.0.0.1:6500"
    policy = built.toppings.policy
    assert (policy.timeout, policy.attempts, policy.breaker_failures, policy.breaker_reset) == (
        1.0,
        2,
        3,
        2.0,
    )
    # One circuit breaker per peer, on the machine's network.
    assert built.frostings.client.breaker is not built.toppings.client.breaker
    assert built.wiring.transport is None


@pytest.mark.parametrize(
    ("setting", "value", "field"),
    [
        ("UPSTREAM_TIMEOUT", 0.5, "timeout"),
        ("UPSTREAM_ATTEMPTS", 3, "attempts"),
        ("BREAKER_FAILURES", 5, "breaker_failures"),
        ("BREAKER_RESET", 4.0, "breaker_reset"),
    ],
)
def test_each_setting_of_the_peers_is_a_field_of_their_policy(
    settings: Settings, setting: str, value: float, field: str
) -> None:
    setattr(settings, setting, value)

    assert getattr(policy_from_settings(django_settings), field) == value
