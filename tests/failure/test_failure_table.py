"""The table "How failure looks" (docs/architecture.md), one test per row, against real processes.

Every service is really killed, really stalled (SIGSTOP: connections are accepted and
never answered), or made flaky or slow from inside (chaos). Each test checks the answer
the contract promises and that nobody waits past the front door's deadline.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from tests.e2e.conftest import RunningLab, wait_until

from .conftest import (
    FRONT_DOOR_DEADLINE,
    SLACK,
    WITHIN_DEADLINE,
    ReachableLab,
    Timed,
    chaos,
    compose,
    compose_until,
    stalled,
)

AT_ONCE = 0.3
DOWN = ("degraded", "unavailable")
# How many compositions a flaky service's errors must reach before the test ends.
FAILURES_MET = 3


def all_ok(lab: ReachableLab) -> bool:
    """Whether a composition finds every service fully ok."""
    timed = compose(lab)
    return timed.response.status_code == 200 and all(
        timed.status_of(name) == "ok" for name in ("bodies", "frostings", "toppings")
    )


@pytest.fixture(autouse=True)
def healthy_lab(lab: RunningLab) -> Iterator[None]:
    """Each test starts, and leaves, a lab with no chaos where every service is ok."""
    for name in ("bodies", "frostings", "toppings"):
        chaos(lab, name)
    wait_until(lambda: all_ok(lab), timeout=20)
    yield
    for name in ("bodies", "frostings", "toppings"):
        if lab.statuses()[name]["state"] != "running":
            assert lab.cli("start", name).returncode == 0
        chaos(lab, name)


def noticed_down(
    lab: ReachableLab, service: str, *, statuses: tuple[str, ...] = DOWN
) -> list[Timed]:
    """Compose until ``service``'s status is one of ``statuses`` (by default: no longer
    ``ok``; a fresh cached answer may hide a dead service for up to its max-age); every
    composition on the way must be a good one."""
    return compose_until(
        lab,
        lambda seen: seen[-1].status_of(service) in statuses,
        timeout=10,
        what=f"{service} {' or '.join(statuses)} after it went down",
    )


def test_toppings_killed_leaves_body_and_frosting_composed(lab: RunningLab) -> None:
    assert lab.cli("kill", "toppings").returncode == 0
    noticed_down(lab, "toppings")
    for _ in range(5):
        timed = compose(lab)
        assert timed.response.status_code == 200
        assert timed.seconds < WITHIN_DEADLINE
        # unavailable, or degraded while its last good answer is served from cache
        assert timed.status_of("toppings") in DOWN
        assert timed.status_of("bodies") == "ok"
        assert timed.body["body"]["slug"] == "vanilla"  # type: ignore[index]
        assert timed.body["frosting"]["slug"] == "chocolate"  # type: ignore[index]

    # frostings may still hold toppings' answer fresh for up to its max-age.
    def frostings_says_degraded() -> bool:
        answer = httpx.get(f"{lab.urls['frostings']}/api/v1/frostings/vanilla/toppings", timeout=5)
        assert answer.status_code == 200
        return bool(answer.json()["status"] == "degraded")

    wait_until(frostings_says_degraded, timeout=10)


def test_frostings_killed_leaves_the_body_composed(lab: RunningLab) -> None:
    assert lab.cli("kill", "frostings").returncode == 0
    timed = noticed_down(lab, "frostings")[-1]
    assert timed.status_of("frostings") in DOWN
    assert timed.status_of("bodies") == "ok"
    assert timed.body["body"]["slug"] == "vanilla"  # type: ignore[index]


def test_bodies_killed_leaves_frostings_and_toppings_serving(lab: RunningLab) -> None:
    assert lab.cli("kill", "bodies").returncode == 0
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{lab.urls['bodies']}/", timeout=2)
    assert httpx.get(f"{lab.urls['frostings']}/api/v1/frostings", timeout=5).status_code == 200
    assert httpx.get(f"{lab.urls['toppings']}/api/v1/toppings", timeout=5).status_code == 200
    answer = httpx.get(f"{lab.urls['frostings']}/api/v1/frostings/vanilla/toppings", timeout=5)
    assert answer.json()["status"] == "ok"


def test_a_service_that_comes_back_is_used_again_within_seconds(lab: RunningLab) -> None:
    assert lab.cli("kill", "toppings").returncode == 0
    noticed_down(lab, "toppings")
    assert lab.cli("start", "toppings").returncode == 0
    recovered_after = wait_until(lambda: compose(lab).status_of("toppings") == "ok", timeout=10)
    assert recovered_after < 10


def breaker_open_to(timed: Timed, service: str) -> bool:
    """Whether the composition found its breaker to ``service`` open."""
    calls = timed.body["calls"]
    assert isinstance(calls, list)
    return any(c["service"] == service and c["breaker"] == "open" for c in calls)


def test_a_stalled_service_costs_the_deadline_then_nothing_then_recovers(lab: RunningLab) -> None:
    with stalled(lab, "toppings"):
        # Until the breaker opens, each composition may wait out the deadline, no more. A
        # fresh cached answer hides the stall for up to its max-age (compositions of a few
        # milliseconds, as many as fit), then each call asked times out until enough
        # failures in a row open the breaker: a state reached in seconds, not in a count.
        compose_until(
            lab,
            lambda seen: breaker_open_to(seen[-1], "toppings"),
            timeout=30,
            what="the breaker to toppings open",
        )
        # Open: answers come back at once (but for the periodic half-open trial call).
        after = [compose(lab) for _ in range(8)]
        assert all(t.response.status_code == 200 for t in after)
        assert all(t.seconds < WITHIN_DEADLINE for t in after)
        assert sorted(t.seconds for t in after)[len(after) // 2] < AT_ONCE
        assert all(t.status_of("toppings") in DOWN for t in after)
    recovered_after = wait_until(lambda: compose(lab).status_of("toppings") == "ok", timeout=15)
    assert recovered_after < 15


def met_a_failure_of(timed: Timed, service: str) -> bool:
    """Whether the composition's call to ``service`` met a failure: a failed attempt (retried
    or not), or a breaker that failures had opened."""
    calls = timed.body["calls"]
    assert isinstance(calls, list)
    return any(
        c["service"] == service and (c["attempts"] > 1 or c["error"] is not None) for c in calls
    )


def test_a_flaky_service_never_turns_into_a_server_error(lab: RunningLab) -> None:
    chaos(lab, "toppings", error_rate=0.5)
    # Compose until the faults have reached the assembler a few times (fresh cached answers
    # keep them away for up to their max-age); every composition is a good one.
    timings = compose_until(
        lab,
        lambda seen: sum(met_a_failure_of(t, "toppings") for t in seen) >= FAILURES_MET,
        timeout=30,
        what=f"{FAILURES_MET} compositions meeting toppings' errors",
    )
    assert {t.status_of("toppings") for t in timings} <= {"ok", "degraded", "unavailable"}


def test_a_service_slower_than_the_deadline_is_given_up_on_in_time(lab: RunningLab) -> None:
    chaos(lab, "toppings", latency_ms=1500)
    noticed_down(lab, "toppings")
    timings = [compose(lab) for _ in range(5)]
    assert {t.response.status_code for t in timings} == {200}
    assert all(t.seconds < WITHIN_DEADLINE for t in timings)
    assert timings[-1].status_of("toppings") in DOWN


def test_the_deadline_shrinks_along_the_chain(lab: RunningLab) -> None:
    timed = compose(lab)
    calls = timed.body["calls"]
    assert isinstance(calls, list)
    sent = {call["service"]: call["budget_ms"] for call in calls}
    assert 0 < sent["frostings"] < FRONT_DOOR_DEADLINE * 1000
    # frostings, asked with 400 ms left, gives its own call to a slow toppings less than
    # that, not its full one-second timeout.
    chaos(lab, "toppings", latency_ms=3000)
    started = time.perf_counter()
    # strawberry: a list of toppings no composition in this lab has asked for (not cached)
    answer = httpx.get(
        f"{lab.urls['frostings']}/api/v1/frostings/strawberry/toppings",
        headers={"Request-Deadline-Ms": "400"},
        timeout=5,
    )
    elapsed = time.perf_counter() - started
    assert answer.status_code == 200 and answer.json()["status"] == "degraded"
    assert "deadline;dur=400" in answer.headers["server-timing"]
    assert elapsed < 0.4 + SLACK
    # A caller that has already given up is not served at all.
    assert (
        httpx.get(
            f"{lab.urls['toppings']}/api/v1/toppings",
            headers={"Request-Deadline-Ms": "0"},
            timeout=5,
        ).status_code
        == 504
    )


def test_a_restarted_service_starts_without_the_chaos_it_was_given(lab: RunningLab) -> None:
    chaos(lab, "toppings", down=True)
    assert httpx.get(f"{lab.urls['toppings']}/healthz", timeout=5).status_code == 503
    restarted = lab.cli("restart", "toppings")
    assert restarted.returncode == 0, restarted.stderr
    assert httpx.get(f"{lab.urls['toppings']}/healthz", timeout=5).status_code == 200
