"""The circuit breaker: opens on repeated failures, one trial at a time, closes on success."""

from __future__ import annotations

import pytest

from cupcake_chassis.breaker import CircuitBreaker, CircuitOpen
from cupcake_testing.clock import ManualClock


@pytest.fixture
def breaker(clock: ManualClock) -> CircuitBreaker:
    """A breaker opening after 3 failures, trying again 2 s later."""
    return CircuitBreaker("toppings", failures=3, reset_after=2.0, clock=clock)


def fail(breaker: CircuitBreaker, times: int) -> None:
    """Record ``times`` failed calls."""
    for _ in range(times):
        breaker.before_call()
        breaker.record_failure()


def test_failures_below_the_threshold_keep_it_closed(breaker: CircuitBreaker) -> None:
    fail(breaker, 2)
    breaker.before_call()
    assert breaker.current_state == "closed"


def test_a_success_resets_the_count(breaker: CircuitBreaker) -> None:
    fail(breaker, 2)
    breaker.before_call()
    breaker.record_success()
    fail(breaker, 2)
    assert breaker.current_state == "closed"


def test_it_opens_at_the_threshold_and_then_refuses_calls(breaker: CircuitBreaker) -> None:
    fail(breaker, 3)
    assert breaker.current_state == "open"
    with pytest.raises(CircuitOpen):
        breaker.before_call()


def test_after_the_reset_time_exactly_one_trial_call_passes(
    breaker: CircuitBreaker, clock: ManualClock
) -> None:
    fail(breaker, 3)
    clock.advance(2.0)
    assert breaker.current_state == "half-open"
    breaker.before_call()  # the trial
    with pytest.raises(CircuitOpen):
        breaker.before_call()  # everyone else, while the trial is out


def test_a_trial_that_works_closes_the_circuit(breaker: CircuitBreaker, clock: ManualClock) -> None:
    fail(breaker, 3)
    clock.advance(2.0)
    breaker.before_call()
    breaker.record_success()
    assert breaker.current_state == "closed"
    breaker.before_call()


def test_a_trial_that_fails_opens_it_for_another_period(
    breaker: CircuitBreaker, clock: ManualClock
) -> None:
    fail(breaker, 3)
    clock.advance(2.0)
    breaker.before_call()
    breaker.record_failure()
    assert breaker.current_state == "open"
    clock.advance(1.9)
    with pytest.raises(CircuitOpen):
        breaker.before_call()
    clock.advance(0.1)
    breaker.before_call()
