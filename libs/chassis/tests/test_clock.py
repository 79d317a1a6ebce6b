"""The clock and the spawn the chassis is given, and the doubles tests give it instead."""

from __future__ import annotations

import threading

import pytest

from cupcake_chassis.clock import SYSTEM_CLOCK, thread_spawn
from cupcake_testing.clock import ManualClock, ManualSpawn


def test_the_system_clock_never_goes_back() -> None:
    first = SYSTEM_CLOCK.monotonic()

    assert SYSTEM_CLOCK.monotonic() >= first


def test_a_thread_spawn_runs_the_work_in_another_thread() -> None:
    ran_in: list[str] = []
    done = threading.Event()

    def work() -> None:
        ran_in.append(threading.current_thread().name)
        done.set()

    thread_spawn(work, name="probe-toppings")

    assert done.wait(timeout=5), "the spawned work never ran"
    assert ran_in == ["probe-toppings"]


def test_a_manual_clock_moves_only_when_told() -> None:
    clock = ManualClock(start=1_000.0)

    assert (clock.monotonic(), clock.time()) == (0.0, 1_000.0)
    clock.advance(0.25)
    clock.sleep(0.5)
    assert (clock.monotonic(), clock.time()) == (0.75, 1_000.75)


def test_a_manual_clock_does_not_go_back() -> None:
    with pytest.raises(ValueError, match="does not go back"):
        ManualClock().advance(-1)


def test_a_manual_spawn_keeps_work_until_run_and_runs_what_it_starts() -> None:
    spawn = ManualSpawn()
    ran: list[str] = []

    def first() -> None:
        ran.append("first")
        spawn(lambda: ran.append("started by first"), name="nested")

    spawn(first, name="first")
    assert ran == []

    assert spawn.run() == 2
    assert ran == ["first", "started by first"]
    assert spawn.pending == []
