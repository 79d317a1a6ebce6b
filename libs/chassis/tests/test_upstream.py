"""The resilient client: answers, cache, retries, breaker, stale answers and deadlines."""

from __future__ import annotations

import time

import httpx
import pytest

from cupcake_chassis.deadline import DEADLINE_HEADER, Deadline, _current
from cupcake_chassis.upstream import ResilientUpstream, UpstreamPolicy
from cupcake_testing.clock import ManualClock, ManualSpawn

from .conftest import ScriptedUpstream, refuse

# Retries at once: the backoff between attempts is stamina's own sleep, on the real clock.
FAST = UpstreamPolicy(backoff_initial=0.0, backoff_max=0.0, backoff_jitter=0.0)


def client(
    upstream: ScriptedUpstream,
    policy: UpstreamPolicy = FAST,
    *,
    clock: ManualClock | None = None,
    spawn: ManualSpawn | None = None,
) -> ResilientUpstream:
    """A resilient client of the scripted upstream, on a clock that moves only by hand and
    with background work that runs only when the test says."""
    return ResilientUpstream(
        "toppings",
        "http://toppings.test",
        policy=policy,
        transport=upstream.transport(),
        clock=clock or ManualClock(),
        spawn=spawn or ManualSpawn(),
    )


def read_timeout(request: httpx.Request) -> float:
    """The time the client would wait for ``request``'s answer."""
    return float(request.extensions["timeout"]["read"])


def test_a_good_answer_is_returned_with_its_call_record(upstream: ScriptedUpstream) -> None:
    outcome = client(upstream).get("/api/v1/toppings", {"slug": "cherry"})
    assert outcome.status_code == 200 and not outcome.stale
    assert outcome.data == {"items": [{"slug": "cherry"}]}
    assert outcome.call.service == "toppings"
    assert outcome.call.path == "/api/v1/toppings?slug=cherry"
    assert outcome.call.cache == "miss" and outcome.call.error is None


def test_a_fresh_answer_is_served_from_the_cache(upstream: ScriptedUpstream) -> None:
    toppings = client(upstream)
    toppings.get("/api/v1/toppings")
    again = toppings.get("/api/v1/toppings")
    assert again.call.cache == "hit" and again.data == {"items": [{"slug": "cherry"}]}
    assert len(upstream.requests) == 1


def test_a_stale_cached_answer_is_revalidated_with_its_etag(upstream: ScriptedUpstream) -> None:
    def expires_at_once(request: httpx.Request) -> httpx.Response:
        answer = upstream.catalogue(request)
        answer.headers["Cache-Control"] = "public, max-age=0, stale-if-error=300"
        return answer

    upstream.behaviour = expires_at_once
    toppings = client(upstream)
    toppings.get("/api/v1/toppings")
    again = toppings.get("/api/v1/toppings")
    assert again.call.cache == "revalidated" and again.status_code == 200
    assert upstream.sent_headers[-1]["if-none-match"] == '"v1"'


def test_an_unreachable_upstream_is_retried_then_reported_unavailable(
    upstream: ScriptedUpstream,
) -> None:
    upstream.behaviour = refuse
    outcome = client(upstream).get("/api/v1/toppings")
    assert not outcome.available and outcome.data is None
    assert outcome.call.error == "ConnectError" and outcome.call.attempts == 2
    assert len(upstream.requests) == 2


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_server_error_counts_as_a_failure(upstream: ScriptedUpstream, status: int) -> None:
    upstream.behaviour = lambda request: httpx.Response(status, json={"status": status})
    outcome = client(upstream).get("/api/v1/toppings")
    assert not outcome.available
    assert outcome.call.status == status and outcome.call.error == f"answered {status}"


def test_a_client_error_is_an_answer_not_a_failure(upstream: ScriptedUpstream) -> None:
    upstream.behaviour = lambda request: httpx.Response(404, json={"status": 404})
    outcome = client(upstream).get("/api/v1/toppings/nope")
    assert outcome.status_code == 404 and outcome.data == {"status": 404}
    assert len(upstream.requests) == 1


def test_a_200_that_is_not_json_counts_as_a_failure(upstream: ScriptedUpstream) -> None:
    upstream.behaviour = lambda request: httpx.Response(200, text="<html>oops</html>")
    outcome = client(upstream).get("/api/v1/toppings")
    assert not outcome.available and "text/plain" in str(outcome.call.error)


def test_a_fresh_cached_answer_is_served_while_the_upstream_is_down(
    upstream: ScriptedUpstream,
) -> None:
    toppings = client(upstream)
    toppings.get("/api/v1/toppings")
    upstream.behaviour = refuse
    outcome = toppings.get("/api/v1/toppings")
    assert outcome.call.cache == "hit" and not outcome.stale
    assert len(upstream.requests) == 1


def test_stale_if_error_serves_an_expired_answer_when_the_upstream_is_down(
    upstream: ScriptedUpstream,
) -> None:
    def expires_at_once(request: httpx.Request) -> httpx.Response:
        answer = upstream.catalogue(request)
        answer.headers["Cache-Control"] = "public, max-age=0, stale-if-error=300"
        return answer

    upstream.behaviour = expires_at_once
    toppings = client(upstream)
    toppings.get("/api/v1/toppings")
    upstream.behaviour = refuse
    outcome = toppings.get("/api/v1/toppings")
    assert outcome.available and outcome.stale
    assert outcome.data == {"items": [{"slug": "cherry"}]}
    assert outcome.call.cache == "stale" and outcome.call.error == "ConnectError"


def test_no_stale_answer_without_stale_if_error(upstream: ScriptedUpstream) -> None:
    upstream.behaviour = lambda request: httpx.Response(
        200, json={"items": []}, headers={"Cache-Control": "no-store"}
    )
    toppings = client(upstream)
    toppings.get("/api/v1/toppings")
    upstream.behaviour = refuse
    assert not toppings.get("/api/v1/toppings").available


def test_the_breaker_opens_after_repeated_failures_and_answers_at_once(
    upstream: ScriptedUpstream,
) -> None:
    upstream.behaviour = refuse
    toppings = client(upstream, UpstreamPolicy(attempts=1, breaker_failures=3))
    for _ in range(3):
        toppings.get("/api/v1/toppings")
    reached = len(upstream.requests)
    outcome = toppings.get("/api/v1/toppings")
    assert outcome.call.error == "circuit open" and outcome.call.breaker == "open"
    assert len(upstream.requests) == reached


def test_the_breaker_half_opens_and_closes_when_the_upstream_is_back(
    upstream: ScriptedUpstream, clock: ManualClock, spawn: ManualSpawn
) -> None:
    upstream.behaviour = refuse
    policy = UpstreamPolicy(attempts=1, breaker_failures=2)
    toppings = client(upstream, policy, clock=clock, spawn=spawn)
    toppings.get("/api/v1/toppings")
    toppings.get("/api/v1/toppings")
    assert toppings.breaker.current_state == "open"
    upstream.behaviour = upstream.catalogue
    clock.advance(policy.breaker_reset)
    reached = len(upstream.requests)

    # Half-open: this request is answered at once; the trial call goes in the background.
    refused = toppings.get("/api/v1/toppings")

    assert (refused.call.error, refused.call.breaker) == ("circuit open", "half-open")
    assert len(upstream.requests) == reached
    assert [name for name, _work in spawn.pending] == ["probe-toppings"]
    assert spawn.run() == 1
    assert len(upstream.requests) == reached + 1
    assert toppings.breaker.current_state == "closed"
    outcome = toppings.get("/api/v1/toppings")
    assert outcome.status_code == 200 and outcome.call.breaker == "closed"


def test_before_the_reset_time_the_breaker_stays_open_and_sends_no_trial(
    upstream: ScriptedUpstream, clock: ManualClock, spawn: ManualSpawn
) -> None:
    upstream.behaviour = refuse
    policy = UpstreamPolicy(attempts=1, breaker_failures=1)
    toppings = client(upstream, policy, clock=clock, spawn=spawn)
    toppings.get("/api/v1/toppings")
    clock.advance(policy.breaker_reset - 0.01)

    refused = toppings.get("/api/v1/toppings")

    assert (refused.call.error, refused.call.breaker) == ("circuit open", "open")
    assert spawn.pending == [] and len(upstream.requests) == 1


def test_in_half_open_no_request_waits_on_a_stuck_upstream(
    upstream: ScriptedUpstream, clock: ManualClock, spawn: ManualSpawn
) -> None:
    upstream.behaviour = refuse
    policy = UpstreamPolicy(attempts=1, breaker_failures=1, timeout=1.0)
    toppings = client(upstream, policy, clock=clock, spawn=spawn)
    toppings.get("/api/v1/toppings")
    clock.advance(policy.breaker_reset)

    def stuck(request: httpx.Request) -> httpx.Response:
        clock.advance(read_timeout(request))  # silent until the client gives up
        raise httpx.ReadTimeout("stuck", request=request)

    upstream.behaviour = stuck
    reached = len(upstream.requests)
    started = clock.monotonic()
    answers = [toppings.get("/api/v1/toppings") for _ in range(5)]

    assert clock.monotonic() == started, "a request waited on the trial call"
    assert all(a.call.error == "circuit open" and a.call.ms == 0 for a in answers)
    # One trial call, in the background, and it fails: open again, for another period.
    assert len(spawn.pending) == 1 and len(upstream.requests) == reached
    spawn.run()
    assert len(upstream.requests) == reached + 1
    assert clock.monotonic() - started == pytest.approx(policy.trial_timeout)
    assert toppings.breaker.current_state == "open"
    clock.advance(policy.breaker_reset - 0.01)
    assert toppings.breaker.current_state == "open"


def test_the_remaining_deadline_is_sent_downstream_and_bounds_the_call(
    upstream: ScriptedUpstream, clock: ManualClock
) -> None:
    token = _current.set(Deadline.after(0.4, clock=clock))
    try:
        clock.advance(0.1)
        client(upstream, clock=clock).get("/api/v1/toppings")
    finally:
        _current.reset(token)
    # What is left (0.3 s) bounds the call; the callee is told that less a hop's reserve.
    assert read_timeout(upstream.requests[0]) == pytest.approx(0.3)
    sent = int(upstream.sent_headers[0][DEADLINE_HEADER.lower()])
    assert sent == pytest.approx(250, abs=1)  # whole milliseconds, rounded down


def test_no_call_is_made_once_the_deadline_has_passed(upstream: ScriptedUpstream) -> None:
    token = _current.set(Deadline.after(-0.1))
    try:
        outcome = client(upstream).get("/api/v1/toppings")
    finally:
        _current.reset(token)
    assert not outcome.available and outcome.call.error == "deadline exhausted"
    assert upstream.requests == []


def test_a_timeout_is_reported_without_waiting_past_the_deadline(
    upstream: ScriptedUpstream, clock: ManualClock
) -> None:
    def hang(request: httpx.Request) -> httpx.Response:
        clock.advance(read_timeout(request))  # silent until the client gives up
        raise httpx.ReadTimeout("timed out", request=request)

    upstream.behaviour = hang
    token = _current.set(Deadline.after(0.2, clock=clock))
    started = clock.monotonic()
    try:
        outcome = client(upstream, clock=clock).get("/api/v1/toppings")
    finally:
        _current.reset(token)
    assert not outcome.available and outcome.call.error == "ReadTimeout"
    # The client waited what was left of the deadline (not its own 1 s), once, and said so.
    assert clock.monotonic() - started == pytest.approx(0.2)
    assert outcome.call.attempts == 1 and outcome.call.ms == 200.0


def test_without_a_deadline_a_call_waits_at_most_the_policys_timeout(
    upstream: ScriptedUpstream, clock: ManualClock
) -> None:
    def hang(request: httpx.Request) -> httpx.Response:
        clock.advance(read_timeout(request))
        raise httpx.ReadTimeout("timed out", request=request)

    upstream.behaviour = hang
    outcome = client(upstream, UpstreamPolicy(timeout=0.7), clock=clock).get("/api/v1/toppings")

    assert outcome.call.error == "ReadTimeout" and outcome.call.ms == 700.0


def test_revalidate_asks_the_upstream_even_with_a_fresh_answer_cached(
    upstream: ScriptedUpstream,
) -> None:
    toppings = client(upstream)
    toppings.get("/api/v1/toppings")
    checked = toppings.get("/api/v1/toppings", revalidate=True)
    assert len(upstream.requests) == 2 and checked.status_code == 200
    assert checked.call.cache != "hit"


def test_an_answer_without_a_date_still_expires(upstream: ScriptedUpstream) -> None:
    def one_second(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"items": []}, headers={"Cache-Control": "max-age=1"})

    # The HTTP cache (hishel) ages answers on the machine's clock; dated 10 s before it,
    # an answer is already old there, and only the Date the client adds keeps it fresh.
    clock = ManualClock(start=time.time() - 10)
    upstream.behaviour = one_second
    toppings = client(upstream, clock=clock)
    toppings.get("/api/v1/toppings")
    assert toppings.get("/api/v1/toppings").call.cache == "hit"
    clock.advance(2.05)
    assert toppings.get("/api/v1/toppings").call.cache == "miss"


def test_a_failed_call_still_records_the_budget_it_was_given(
    upstream: ScriptedUpstream, clock: ManualClock
) -> None:
    upstream.behaviour = refuse
    token = _current.set(Deadline.after(0.5, clock=clock))
    try:
        outcome = client(upstream, clock=clock).get("/api/v1/toppings")
    finally:
        _current.reset(token)
    assert outcome.call.budget_ms == 450


def test_a_half_open_trial_call_gets_only_a_short_timeout(
    upstream: ScriptedUpstream, clock: ManualClock, spawn: ManualSpawn
) -> None:
    upstream.behaviour = refuse
    policy = UpstreamPolicy(attempts=1, breaker_failures=1, timeout=1.0)
    toppings = client(upstream, policy, clock=clock, spawn=spawn)
    toppings.get("/api/v1/toppings")
    clock.advance(policy.breaker_reset)
    upstream.behaviour = upstream.catalogue
    toppings.get("/api/v1/toppings")
    spawn.run()
    assert toppings.breaker.current_state == "closed"
    assert read_timeout(upstream.requests[-1]) == policy.trial_timeout


def test_while_the_breaker_is_open_the_last_good_answer_is_served_without_asking(
    upstream: ScriptedUpstream,
) -> None:
    def expires_at_once(request: httpx.Request) -> httpx.Response:
        answer = upstream.catalogue(request)
        answer.headers["Cache-Control"] = "public, max-age=0, stale-if-error=300"
        return answer

    upstream.behaviour = expires_at_once
    toppings = client(upstream, UpstreamPolicy(attempts=1, breaker_failures=1))
    toppings.get("/api/v1/toppings")
    upstream.behaviour = refuse
    toppings.get("/api/v1/toppings")
    assert toppings.breaker.current_state == "open"
    reached = len(upstream.requests)

    outcome = toppings.get("/api/v1/toppings")

    assert outcome.stale and outcome.data == {"items": [{"slug": "cherry"}]}
    assert outcome.call.error == "circuit open" and outcome.call.cache == "stale"
    assert outcome.call.attempts == 1 and outcome.call.breaker == "open"
    assert len(upstream.requests) == reached
