"""Overload: at many times what a service can serve, every answer is a 200 within the front
door's deadline or a fast refusal, nothing is lost, and the service is itself again at once.

Capacity is measured first, in the same run and with the same client (so the figures do
not hinge on how busy the machine is): the answers per second ``X`` that 8 users get (more
add nothing: two requests work at once). A load is then a number of users, each on its own
connection, sending its next request as soon as the last is answered, and waiting as
``Retry-After`` asks after a refusal. The capacity in users is ``X`` times a tenth of the
deadline: the users served when each answer takes a tenth of the deadline (Little's law).
About 100 users on the composition here; the issue's 1,000 connections are ten times that.

The issue's bounds: 200s with a p99 of at most 1.2 s; refusals (503, ``Retry-After``,
problem+json) with a p99 under 50 ms; within 2 s of the load ending, answers as fast as
before it. Times are those of the requests sent once every user has arrived (users arrive
over the first second, the load's warm-up; every answer counts for the rest). The client
runs on the machine it measures: how late its own event loop woke (its p99, measured
through the same load) is part of every time it measures and none of the service's, so it
is added to the bounds and shown with the figures.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.e2e.conftest import RunningLab
from tests.failure.conftest import COMPOSE, FRONT_DOOR_DEADLINE, chaos
from tests.siege.conftest import figures_record, seconds_setting
from tests.siege.load import LOST, Run, Target, load, percentile

COMPOSITIONS = (
    COMPOSE,
    "/api/v1/cupcake?body=chocolate&frosting=vanilla&topping=sprinkles",
    "/api/v1/cupcake?body=vanilla&frosting=strawberry",
    "/api/v1/cupcake",
)
# Enough users to keep a service's two places busy (its throughput is the same with more),
# few enough that none waits long enough to be refused, even for a service slowed to 10 ms.
CALIBRATION_USERS = 8
CALIBRATION_SECONDS = 3.0
OK_P99 = 1.2
REFUSAL_P99 = 0.05
RECOVERY = 2.0
# How many answers in a row must be back to the idle figure for the service to count as
# recovered, and which percentile of a lone user's answers is that figure.
RECOVERED_IN_A_ROW = 3
IDLE_PERCENTILE = 0.9
# Under any load, at least this share of the capacity must still be served: a service
# refusing everything would meet every other bound. Not more: the client shares the
# machine's two cores with the services, and takes more of them the more answers it reads
# (up to 12,000 refusals a second when its users ignore Retry-After), so a load's 200s are
# made on less CPU than the capacity was measured on; runs on an idle machine here served
# 0.49 to 1.1 of the capacity.
GOODPUT_SHARE = 1 / 3
# The catalogue services answer thousands of reads a second, more than the client on this
# machine can send ten times over; each is slowed to a few hundred a second by chaos
# latency (time held, not CPU), so that ten times its capacity can be offered for real.
CATALOGUE_LATENCY_MS = 10
CATALOGUE_READS = {
    "frostings": ("/api/v1/frostings", "/api/v1/frostings/vanilla/toppings"),
    "toppings": ("/api/v1/toppings", "/api/v1/toppings/cherry"),
}


@dataclass(frozen=True)
class Capacity:
    """What a target serves: answers per second at the calibration's users, the users that
    makes at a tenth of the deadline, and a lone user's usual answer time."""

    per_second: float
    users: int
    idle_seconds: float


def capacity_measured(target: Target) -> Capacity:
    """The target's capacity, measured now with the siege's own client."""
    run = load(target, users=CALIBRATION_USERS, seconds=CALIBRATION_SECONDS, ramp=0.2)
    refused = [
        (round(a.sent - run.started, 3), ms(a.seconds)) for a in run.answers if a.status != 200
    ]
    assert not refused, f"the calibration itself was refused (sent at s, after ms): {refused}"
    per_second = run.per_second(200)
    alone = load(target, users=1, seconds=1.0, ramp=0.0)
    return Capacity(
        per_second=per_second,
        users=max(1, round(per_second * FRONT_DOOR_DEADLINE / 10)),
        idle_seconds=percentile([a.seconds for a in alone.answers], IDLE_PERCENTILE),
    )


def recovery_seconds(target: Target, capacity: Capacity) -> float:
    """Seconds from the end of a load until a lone user's answers are back to the idle
    figure (``RECOVERED_IN_A_ROW`` in a row); watched for ``RECOVERY`` seconds at most."""
    after = load(target, users=1, seconds=RECOVERY, ramp=0.0)
    in_a_row = 0
    for answer in after.answers:
        in_a_row = (
            in_a_row + 1 if answer.status == 200 and answer.seconds <= capacity.idle_seconds else 0
        )
        if in_a_row == RECOVERED_IN_A_ROW:
            return answer.sent + answer.seconds - after.started
    slowest = max(a.seconds for a in after.answers)
    raise AssertionError(
        f"not back to {capacity.idle_seconds * 1000:.1f} ms within {RECOVERY} s "
        f"(slowest answer since {slowest * 1000:.1f} ms)"
    )


def ms(seconds: float) -> float:
    """Seconds in milliseconds, rounded for the figures."""
    return round(seconds * 1000, 1)


def figures(run: Run, capacity: Capacity) -> dict[str, object]:
    """One load's figures (its recovery is added once measured)."""
    ok = run.settled_seconds(200)
    refused = run.settled_seconds(503)
    in_ramp = [a.seconds for a in run.answers if a.sent < run.started + run.ramp]
    return {
        "users": run.users,
        "seconds": round(run.seconds, 1),
        "capacity/s": round(capacity.per_second),
        "200/s": round(run.per_second(200)),
        "200 p50/p99/max ms": [
            ms(percentile(ok, 0.5)),
            ms(percentile(ok, 0.99)),
            ms(max(ok, default=0)),
        ],
        "503/s": round(run.per_second(503)),
        "503 p50/p99/max ms": [
            ms(percentile(refused, 0.5)),
            ms(percentile(refused, 0.99)),
            ms(max(refused, default=0)),
        ],
        "slowest while users arrived ms": ms(max(in_ramp, default=0)),
        "lost": len(run.of_status(LOST)),
        "client lag p99 ms": ms(percentile(run.lags, 0.99)),
        "idle ms": ms(capacity.idle_seconds),
    }


def besieged(name: str, target: Target, capacity: Capacity, *, times: float, seconds: float) -> Run:
    """``times`` the capacity in users on ``target`` for ``seconds``, held to the issue's
    bounds (see the module's docstring); its figures are kept for the summary."""
    run = load(target, users=round(times * capacity.users), seconds=seconds)
    row = figures_record(name, figures(run, capacity))
    statuses = {a.status for a in run.answers}
    assert statuses <= {200, 503}, f"answers other than 200 and 503: {row}"
    for refusal in run.of_status(503):
        assert refusal.retry_after == "1" and refusal.media_type == "application/problem+json"
    lag = percentile(run.lags, 0.99)
    assert percentile(run.settled_seconds(200), 0.99) <= OK_P99 + lag, f"{row}"
    assert percentile(run.settled_seconds(503), 0.99) <= REFUSAL_P99 + lag, f"{row}"
    assert run.per_second(200) >= GOODPUT_SHARE * capacity.per_second, f"{row}"
    row["back to idle after s"] = round(recovery_seconds(target, capacity), 2)
    return run


@pytest.fixture(scope="module")
def front_door(lab: RunningLab) -> tuple[Target, Capacity]:
    """The composition on bodies, and its capacity measured now."""
    target = Target.of(lab.urls["bodies"], *COMPOSITIONS)
    return target, capacity_measured(target)


@pytest.mark.parametrize("times", [2, 5, 10])
def test_the_composition_holds_at_many_times_its_capacity(
    front_door: tuple[Target, Capacity], times: int
) -> None:
    target, capacity = front_door
    seconds = (
        seconds_setting("SIEGE_SECONDS", 30.0)
        if times == 10
        else seconds_setting("SIEGE_STEP_SECONDS", 10.0)
    )
    run = besieged(f"composition {times}x", target, capacity, times=times, seconds=seconds)
    assert run.of_status(503), "ten times the capacity and nothing refused: not an overload"


def test_clients_ignoring_retry_after_get_their_200s_within_the_deadline(
    front_door: tuple[Target, Capacity],
) -> None:
    """The issue's own siege (wrk's 1,000 connections, none waiting after a refusal): every
    200 still within the deadline, nothing lost. The refusals cannot all be fast here: a
    user who asks again at once is always in the line (the line's length over the rate it
    is answered at, by Little's law); per-client limits in front are what stop such
    clients (README, "Reliability under siege")."""
    target, capacity = front_door
    run = load(
        target,
        users=10 * capacity.users,
        seconds=seconds_setting("SIEGE_STEP_SECONDS", 10.0),
        polite=False,
    )
    row = figures_record("composition 10x, ignoring Retry-After", figures(run, capacity))
    assert {a.status for a in run.answers} <= {200, 503}, f"{row}"
    lag = percentile(run.lags, 0.99)
    assert percentile(run.settled_seconds(200), 0.99) <= OK_P99 + lag, f"{row}"
    assert run.per_second(200) >= GOODPUT_SHARE * capacity.per_second, f"{row}"


@pytest.fixture
def slowed(lab: RunningLab, request: pytest.FixtureRequest) -> Iterator[str]:
    """A catalogue service given ``CATALOGUE_LATENCY_MS`` of chaos latency, then restored."""
    service: str = request.param
    chaos(lab, service, latency_ms=CATALOGUE_LATENCY_MS)
    try:
        yield service
    finally:
        chaos(lab, service)


@pytest.mark.parametrize("slowed", list(CATALOGUE_READS), indirect=True)
def test_a_catalogue_service_holds_under_direct_overload(lab: RunningLab, slowed: str) -> None:
    target = Target.of(lab.urls[slowed], *CATALOGUE_READS[slowed])
    capacity = capacity_measured(target)
    run = besieged(
        f"{slowed} 10x (reads, {CATALOGUE_LATENCY_MS} ms chaos latency)",
        target,
        capacity,
        times=10,
        seconds=seconds_setting("SIEGE_STEP_SECONDS", 10.0),
    )
    assert run.of_status(503), "ten times the capacity and nothing refused: not an overload"
