"""Typed call outcomes: each failure is classified where it happens, and said in words."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest

from cupcake_chassis.calls import Call, Failure, failure_in_words
from cupcake_chassis.deadline import Deadline, _current
from cupcake_chassis.upstream import ResilientUpstream, UpstreamPolicy

from .conftest import ScriptedUpstream, refuse

FAST = UpstreamPolicy(
    attempts=1, breaker_failures=1, backoff_initial=0.001, backoff_max=0.002, backoff_jitter=0.0
)


def client(upstream: ScriptedUpstream) -> ResilientUpstream:
    """A resilient client of the scripted upstream, whose circuit opens at the first failure."""
    return ResilientUpstream(
        "toppings", "http://toppings.test", policy=FAST, transport=upstream.transport()
    )


def time_out(request: httpx.Request) -> httpx.Response:
    """Behave like a service that does not answer in time."""
    raise httpx.ReadTimeout("timed out", request=request)


def fail(request: httpx.Request) -> httpx.Response:
    """Behave like a service that answers a server error."""
    return httpx.Response(503)


def html(request: httpx.Request) -> httpx.Response:
    """Behave like a service that answers 200 with something that is not JSON."""
    return httpx.Response(200, text="<p>hi</p>", headers={"Content-Type": "text/html"})


@pytest.mark.parametrize(
    ("behaviour", "failure", "error", "status"),
    [
        (refuse, Failure.UNREACHABLE, "ConnectError", None),
        (time_out, Failure.TIMEOUT, "ReadTimeout", None),
        (fail, Failure.ANSWERED_ERROR, "answered 503", 503),
        (html, Failure.NOT_JSON, "answered 200 with text/html content", 200),
    ],
)
def test_a_failed_call_is_classified_where_it_failed(
    upstream: ScriptedUpstream,
    behaviour: Callable[[httpx.Request], httpx.Response],
    failure: Failure,
    error: str,
    status: int | None,
) -> None:
    upstream.behaviour = behaviour

    call = client(upstream).get("/api/v1/toppings").call

    assert (call.failure, call.error, call.status) == (failure, error, status)


def test_a_call_the_open_circuit_refuses_is_classified_as_such(upstream: ScriptedUpstream) -> None:
    upstream.behaviour = refuse
    resilient = client(upstream)
    resilient.get("/api/v1/toppings")

    call = resilient.get("/api/v1/toppings").call

    assert (call.failure, call.error) == (Failure.CIRCUIT_OPEN, "circuit open")


def test_a_call_with_no_time_left_is_classified_as_such(upstream: ScriptedUpstream) -> None:
    token = _current.set(Deadline.after(-0.1))
    try:
        call = client(upstream).get("/api/v1/toppings").call
    finally:
        _current.reset(token)

    assert (call.failure, call.error) == (Failure.DEADLINE_EXHAUSTED, "deadline exhausted")


def test_an_answer_has_no_failure(upstream: ScriptedUpstream) -> None:
    call = client(upstream).get("/api/v1/toppings").call

    assert call.failure is None and call.error is None


def record(failure: Failure | None, *, status: int | None = None, error: str | None = None) -> Call:
    """A call record that ended as ``failure``."""
    return Call(
        service="toppings", method="GET", path="/", status=status, ms=1.0, cache="miss",
        error=error, failure=failure,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (
            record(Failure.CIRCUIT_OPEN),
            "is not being asked for now (circuit open after repeated failures)",
        ),
        (record(Failure.DEADLINE_EXHAUSTED), "was not asked: the request's deadline had run out"),
        (record(Failure.TIMEOUT), "did not answer in time"),
        (record(Failure.ANSWERED_ERROR, status=503), "answered HTTP 503"),
        (record(Failure.NOT_JSON, status=200), "answered something that is not JSON"),
        (record(Failure.BAD_SHAPE, status=200), "answered in a shape that cannot be read"),
        (
            record(Failure.UNREACHABLE, error="ConnectError"),
            "could not be reached (ConnectError)",
        ),
        (record(None), "gave no answer"),
    ],
)
def test_each_failure_is_said_in_words(call: Call, words: str) -> None:
    assert failure_in_words(call) == words


def test_a_timeout_says_its_limit_when_known() -> None:
    assert failure_in_words(record(Failure.TIMEOUT), limit=0.25) == "did not answer within 0.25 s"


def test_the_record_as_json_names_its_failure_as_plain_text_beside_its_error() -> None:
    sent = json.loads(json.dumps(record(Failure.CIRCUIT_OPEN, error="circuit open").as_dict()))

    assert (sent["failure"], sent["error"]) == ("circuit_open", "circuit open")
