"""Composition through the chassis: circuit breaker, stale answers, and the request's deadline."""

import threading
from collections.abc import Iterator

import pytest

from bodies.assembler.pool import task_submit
from bodies.assembler.upstream import Upstreams, upstreams_create
from cupcake_chassis.deadline import Deadline, current_deadline
from cupcake_chassis.wiring import Wiring
from cupcake_testing.clock import ManualClock, ManualSpawn
from cupcake_testing.deadlines import under_deadline
from fakes import BREAKER_POLICY, FROSTINGS_URL, TOPPINGS_URL, FakePeers
from unit.composing import FULL, compose, statuses

pytestmark = pytest.mark.unit

CIRCUIT_OPEN = "toppings is not being asked for now (circuit open after repeated failures)"
# Kept 60 s after it expires, for when the peer fails (RFC 5861).
EXPIRES_AT_ONCE = "max-age=0, stale-if-error=60"


@pytest.fixture
def guarded(wiring: Wiring) -> Iterator[Upstreams]:
    """Peer clients with the settings' circuit breaker: 3 failures open it, for 2 s."""
    built = upstreams_create(
        frostings_url=FROSTINGS_URL, toppings_url=TOPPINGS_URL, policy=BREAKER_POLICY, wiring=wiring
    )
    yield built
    built.close()


def toppings_asked(peers: FakePeers) -> int:
    """How many requests reached the toppings service."""
    return sum(1 for request in peers.requests if request.startswith("toppings "))


def test_after_repeated_failures_the_breaker_opens_and_toppings_is_not_asked(
    guarded: Upstreams, peers: FakePeers, clock: ManualClock
) -> None:
    peers.set("toppings", "error")
    compose(guarded, body="vanilla")  # two failures (the read is tried twice)
    compose(guarded, body="vanilla")  # the third opens the circuit
    asked = toppings_asked(peers)

    started = clock.monotonic()
    composition = compose(guarded, body="vanilla")
    took = clock.monotonic() - started

    assert asked == 3
    assert toppings_asked(peers) == asked
    assert statuses(composition)["toppings"] == "unavailable"
    assert composition.services.toppings.detail == CIRCUIT_OPEN
    toppings_call = composition.calls[-1]
    assert (toppings_call.error, toppings_call.breaker, toppings_call.attempts) == (
        "circuit open",
        "open",
        1,
    )
    assert took == 0
    assert statuses(composition)["frostings"] == "ok"


def test_once_the_peer_is_back_one_trial_call_closes_the_circuit(
    guarded: Upstreams, peers: FakePeers, clock: ManualClock, spawn: ManualSpawn
) -> None:
    peers.set("toppings", "error")
    for _ in range(3):
        compose(guarded, body="vanilla")
    peers.set("toppings", "ok")
    clock.advance(BREAKER_POLICY.breaker_reset)
    asked = toppings_asked(peers)

    # Half-open: the composition is answered at once, and the trial call goes in the
    # background; once it has closed the circuit, toppings is asked again.
    waiting = compose(guarded, body="vanilla")
    assert statuses(waiting)["toppings"] == "unavailable"
    assert waiting.calls[-1].breaker == "half-open"
    assert toppings_asked(peers) == asked
    assert spawn.run() == 1
    assert toppings_asked(peers) == asked + 1

    composition = compose(guarded, body="vanilla")

    assert statuses(composition)["toppings"] == "ok"
    assert composition.calls[-1].breaker == "closed"


def test_a_stale_answer_makes_toppings_degraded_and_still_offers_its_cards(
    upstreams: Upstreams, peers: FakePeers
) -> None:
    peers.cache_control = EXPIRES_AT_ONCE
    compose(upstreams, **FULL)
    peers.set("toppings", "error")

    composition = compose(upstreams, **FULL)

    assert composition.services.toppings.status == "degraded"
    assert composition.services.toppings.detail == (
        "toppings answered HTTP 500; the data shown is from cache"
    )
    assert [card.slug for card in composition.choices.toppings] == ["cherry", "flag", "sprinkles"]
    assert composition.topping is not None and composition.topping.available
    toppings_call = composition.calls[-1]
    assert (toppings_call.service, toppings_call.cache, toppings_call.status) == (
        "toppings",
        "stale",
        500,
    )


def test_a_peer_that_cannot_be_reached_is_unavailable_even_with_a_cached_copy(
    upstreams: Upstreams, peers: FakePeers
) -> None:
    peers.cache_control = EXPIRES_AT_ONCE
    compose(upstreams, **FULL)
    peers.set("toppings", "down")

    composition = compose(upstreams, **FULL)

    assert composition.services.toppings.status == "unavailable"
    assert composition.services.toppings.detail == "toppings could not be reached (ConnectError)"
    assert composition.choices.toppings == []


def test_a_stale_frostings_answer_makes_frostings_degraded(
    upstreams: Upstreams, peers: FakePeers
) -> None:
    peers.cache_control = EXPIRES_AT_ONCE
    compose(upstreams, **FULL)
    peers.set("frostings", "error")

    composition = compose(upstreams, **FULL)

    assert statuses(composition) == {"bodies": "ok", "frostings": "degraded", "toppings": "ok"}
    assert composition.services.frostings.detail == (
        "frostings answered HTTP 500; the data shown is from cache"
    )
    assert {call.cache for call in composition.calls if call.service == "frostings"} == {"stale"}


def test_without_stale_if_error_a_failing_peer_is_unavailable(
    upstreams: Upstreams, peers: FakePeers
) -> None:
    peers.cache_control = "max-age=0"
    compose(upstreams, **FULL)
    peers.set("toppings", "down")

    assert statuses(compose(upstreams, **FULL))["toppings"] == "unavailable"


def test_with_the_deadline_spent_no_peer_is_asked_and_the_answer_is_immediate(
    upstreams: Upstreams, peers: FakePeers, clock: ManualClock
) -> None:
    started = clock.monotonic()
    composition = under_deadline(0.02, lambda: compose(upstreams, **FULL), clock=clock, spend=0.03)
    took = clock.monotonic() - started

    assert peers.requests == []
    assert statuses(composition) == {
        "bodies": "ok",
        "frostings": "unavailable",
        "toppings": "unavailable",
    }
    assert composition.services.toppings.detail == (
        "toppings was not asked: the request's deadline had run out"
    )
    assert {call.error for call in composition.calls} == {"deadline exhausted"}
    assert took == pytest.approx(0.03)  # what was spent before: nothing more


def test_a_stalled_peer_costs_the_requests_deadline_not_the_upstream_timeout(
    upstreams: Upstreams, peers: FakePeers, clock: ManualClock
) -> None:
    peers.set("toppings", "stall")

    started = clock.monotonic()
    composition = under_deadline(0.3, lambda: compose(upstreams, **FULL), clock=clock)
    took = clock.monotonic() - started

    assert took == pytest.approx(0.3)  # the upstream timeout is 1 s
    assert composition.services.toppings.detail == "toppings did not answer within 0.3 s"
    assert statuses(composition)["bodies"] == "ok"


def test_the_deadline_sent_to_the_peers_is_what_is_left_of_the_front_doors(
    upstreams: Upstreams, peers: FakePeers, clock: ManualClock
) -> None:
    under_deadline(1.0, lambda: compose(upstreams, **FULL), clock=clock, spend=0.1)

    sent = [int(value) for value in peers.deadlines if value is not None]
    assert len(sent) == len(peers.requests) == 3
    # 0.9 s left, less a tenth kept back for the hop (whole milliseconds, rounded down).
    assert all(ms == pytest.approx(810, abs=1) for ms in sent), sent


def test_the_pool_threads_see_the_requests_deadline(
    upstreams: Upstreams, peers: FakePeers, clock: ManualClock
) -> None:
    seen: list[tuple[Deadline | None, str]] = []
    peers.before = lambda request: seen.append(
        (current_deadline(), threading.current_thread().name)
    )

    request_deadline = under_deadline(
        1.0, lambda: (compose(upstreams, **FULL), current_deadline())[1], clock=clock
    )

    assert request_deadline is not None
    assert [deadline for deadline, _ in seen] == [request_deadline] * 3
    assert all(name.startswith("upstream") for _, name in seen)


def test_a_pool_task_runs_in_a_copy_of_the_callers_context(clock: ManualClock) -> None:
    inside = under_deadline(
        1.0, lambda: (task_submit(current_deadline).result(), current_deadline()), clock=clock
    )

    assert inside[0] is not None and inside[0] is inside[1]
    assert task_submit(current_deadline).result() is None


def test_a_peer_answer_without_a_deadline_gets_the_upstream_timeout(
    upstreams: Upstreams, peers: FakePeers
) -> None:
    compose(upstreams, body="vanilla")

    # Each peer is told a little less than the call may wait.
    assert peers.deadlines == ["900", "900"]
