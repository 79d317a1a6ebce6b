"""A background thread acting every so often, or when woken."""

from __future__ import annotations

import threading
import time

from cupcake_chassis.periodic import Periodic


def rounds_awaited(done: threading.Semaphore, count: int, *, seconds: float = 5) -> bool:
    """Whether ``count`` rounds were done within ``seconds``."""
    deadline = time.monotonic() + seconds
    return all(done.acquire(timeout=max(0.0, deadline - time.monotonic())) for _ in range(count))


def test_it_acts_every_interval_until_stopped() -> None:
    done = threading.Semaphore(0)
    periodic = Periodic(done.release, interval=0.01, name="test-periodic")
    periodic.start()
    periodic.start()  # one thread however often it is started
    try:
        assert rounds_awaited(done, 3)
    finally:
        periodic.stop()
    assert sum(t.name == "test-periodic" for t in threading.enumerate()) <= 1


def test_woken_it_acts_before_its_interval_is_over() -> None:
    done = threading.Semaphore(0)
    periodic = Periodic(done.release, interval=3600, name="test-periodic-woken")
    periodic.start()
    try:
        periodic.wake()
        assert rounds_awaited(done, 1)
    finally:
        periodic.stop()


def test_a_failed_round_does_not_end_the_thread() -> None:
    done = threading.Semaphore(0)
    calls = []

    def fails_once() -> None:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("once")
        done.release()

    periodic = Periodic(fails_once, interval=0.01, name="test-periodic-fails")
    periodic.start()
    try:
        assert rounds_awaited(done, 1)
    finally:
        periodic.stop()
