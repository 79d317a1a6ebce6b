"""Admission control: places, a first-come-first-served queue whose wait is foreseen, fast
refusals beyond, places given back however an answer ends, and what always passes."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from typing import Any

import httpx
import pytest

from cupcake_chassis import metrics
from cupcake_chassis.admission import (
    ADMITTED,
    GIVE_UP,
    QUEUE_FULL,
    WAITED_TOO_LONG,
    AdmissionGate,
    AdmissionMiddleware,
    AdmissionPolicy,
)
from cupcake_chassis.deadline import ARRIVED, DeadlineMiddleware, current_deadline
from cupcake_chassis.env import Environment, SettingError
from cupcake_chassis.problems import StartResponse
from cupcake_testing.clock import ManualClock

from .test_changes import wait_for


def entered(gate: AdmissionGate, verdicts: list[str]) -> threading.Thread:
    """A thread entering ``gate`` (its verdict appended to ``verdicts``), started."""
    thread = threading.Thread(target=lambda: verdicts.append(gate.enter()), daemon=True)
    thread.start()
    return thread


def test_requests_work_up_to_the_concurrency_then_queue_then_are_refused() -> None:
    gate = AdmissionGate(concurrency=2, queue=1, wait=5.0)
    assert [gate.enter(), gate.enter()] == [ADMITTED, ADMITTED]
    verdicts: list[str] = []
    waiter = entered(gate, verdicts)
    wait_for(lambda: gate.waiting == 1)
    assert gate.enter() == QUEUE_FULL  # the queue holds one
    gate.leave(0.001)
    waiter.join(timeout=5)
    assert verdicts == [ADMITTED]
    assert (gate.at_work, gate.waiting) == (2, 0)  # the place was handed over, not freed


def test_without_a_queue_a_request_is_refused_as_soon_as_every_place_is_taken() -> None:
    gate = AdmissionGate(concurrency=1, queue=0, wait=5.0)
    assert gate.enter() == ADMITTED
    assert gate.enter() == QUEUE_FULL
    gate.leave(0.001)
    assert gate.enter() == ADMITTED


def test_the_queue_is_first_come_first_served() -> None:
    gate = AdmissionGate(concurrency=1, queue=3, wait=5.0)
    assert gate.enter() == ADMITTED
    order: list[int] = []

    def queued(number: int) -> None:
        assert gate.enter() == ADMITTED
        order.append(number)
        gate.leave(0.001)

    threads = []
    for number in range(3):
        thread = threading.Thread(target=queued, args=(number,), daemon=True)
        thread.start()
        threads.append(thread)
        wait_for(lambda n=number: gate.waiting == n + 1)
    gate.leave(0.001)
    for thread in threads:
        thread.join(timeout=5)
    assert order == [0, 1, 2]
    assert (gate.at_work, gate.waiting) == (0, 0)


def test_a_request_is_refused_at_once_when_its_wait_would_be_too_long() -> None:
    gate = AdmissionGate(concurrency=2, queue=100, wait=0.1)
    assert [gate.enter(), gate.enter()] == [ADMITTED, ADMITTED]
    for _ in range(200):  # requests lately held their place far longer than the wait
        gate.leave(3.0)
        assert gate.enter() == ADMITTED
    verdicts: list[str] = []
    waiters = [entered(gate, verdicts) for _ in range(2)]
    wait_for(lambda: gate.waiting == 2)  # a turn every 0.05 s at most: two may wait
    started = time.monotonic()
    assert gate.enter() == QUEUE_FULL
    assert time.monotonic() - started < 0.05
    gate.leave(0.001)
    gate.leave(0.001)
    for waiter in waiters:
        waiter.join(timeout=5)
    assert verdicts == [ADMITTED, ADMITTED]


def test_one_request_held_up_by_a_hiccup_does_not_shorten_the_queue() -> None:
    gate = AdmissionGate(concurrency=2, queue=64, wait=0.1)
    assert [gate.enter(), gate.enter()] == [ADMITTED, ADMITTED]
    for _ in range(100):
        gate.leave(0.001)
        assert gate.enter() == ADMITTED
    gate.leave(5.0)  # the machine stalled under this one
    assert gate.enter() == ADMITTED
    verdicts: list[str] = []
    waiters = [entered(gate, verdicts) for _ in range(14)]  # the bench's 16 users in all
    wait_for(lambda: gate.waiting + verdicts.count(QUEUE_FULL) == 14)
    assert QUEUE_FULL not in verdicts
    for _ in range(16):
        gate.leave(0.001)
    for waiter in waiters:
        waiter.join(timeout=5)
    assert verdicts == [ADMITTED] * 14
    assert (gate.at_work, gate.waiting) == (0, 0)


def test_a_request_that_waited_too_long_after_all_is_refused_and_leaves_the_queue() -> None:
    gate = AdmissionGate(concurrency=1, queue=5, wait=0.05)
    assert gate.enter() == ADMITTED
    started = time.monotonic()
    assert gate.enter() == WAITED_TOO_LONG  # the one at work never leaves
    assert time.monotonic() - started >= GIVE_UP * 0.05
    assert gate.waiting == 0
    gate.leave(0.001)
    assert gate.at_work == 0


class Held:
    """A WSGI app whose requests work until told to finish, answering with ``body``."""

    def __init__(self, body: Iterable[bytes] | None = None) -> None:
        self.started = threading.Semaphore(0)
        self.finish = threading.Event()
        self.calls = 0
        self.body = body
        self.environ: dict[str, Any] = {}

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        self.calls += 1
        self.environ = environ
        self.started.release()
        self.finish.wait(5)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"done"] if self.body is None else self.body


def client(app: Any) -> httpx.Client:
    """A client of ``app`` in-process."""
    return httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://svc.test")


@pytest.fixture
def full() -> Iterator[tuple[AdmissionMiddleware, Held]]:
    """Admission with one place and no queue, its place taken by a request that works until
    the test ends."""
    held = Held()
    middleware = AdmissionMiddleware(held, policy=AdmissionPolicy(concurrency=1, queue=0))
    worker = threading.Thread(target=lambda: client(middleware).get("/work"), daemon=True)
    worker.start()
    assert held.started.acquire(timeout=5)
    yield middleware, held
    held.finish.set()
    worker.join(timeout=5)


def test_a_refusal_is_a_fast_problem_503_with_retry_after(
    full: tuple[AdmissionMiddleware, Held],
) -> None:
    middleware, held = full
    started = time.monotonic()
    answer = client(middleware).get("/api/v1/toppings")
    assert time.monotonic() - started < 0.05
    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "1"
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["cache-control"] == "no-store"
    problem = answer.json()
    assert problem["type"] == "urn:cupcake-lab:problem:overloaded"
    assert problem["title"] == "Service overloaded" and problem["status"] == 503
    assert held.calls == 1  # the app never saw it


def test_a_refusal_is_counted_by_its_reason(full: tuple[AdmissionMiddleware, Held]) -> None:
    middleware, _ = full
    client(middleware).get("/api/v1/toppings")
    assert 'http_requests_refused_total{reason="queue_full"}' in metrics.metrics_text().decode()


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/metrics", "/_chaos"])
def test_health_readiness_metrics_and_chaos_are_never_refused(
    full: tuple[AdmissionMiddleware, Held], path: str
) -> None:
    middleware, held = full
    held.finish.set()  # the request passing by is answered at once
    assert client(middleware).get(path).status_code == 200
    assert ARRIVED not in held.environ


class ClosableBody:
    """An answer's body that says whether it was closed."""

    def __init__(self) -> None:
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        yield b"part"

    def close(self) -> None:
        self.closed = True


def test_the_place_is_given_back_once_a_list_answer_is_made() -> None:
    held = Held()
    held.finish.set()
    middleware = AdmissionMiddleware(held, policy=AdmissionPolicy(concurrency=1, queue=0))
    for _ in range(3):
        assert client(middleware).get("/").status_code == 200
    assert middleware.gate.at_work == 0


def test_the_place_is_given_back_when_a_streamed_answer_is_closed() -> None:
    body = ClosableBody()
    held = Held(body)
    held.finish.set()
    middleware = AdmissionMiddleware(held, policy=AdmissionPolicy(concurrency=1, queue=0))
    answer = middleware({"PATH_INFO": "/"}, lambda status, headers: None)
    assert middleware.gate.at_work == 1  # not sent yet
    assert list(answer) == [b"part"]
    answer.close()  # type: ignore[attr-defined]
    assert body.closed
    assert middleware.gate.at_work == 0


def test_the_place_is_given_back_once_even_when_closed_twice_or_dropped() -> None:
    held = Held(ClosableBody())
    held.finish.set()
    middleware = AdmissionMiddleware(held, policy=AdmissionPolicy(concurrency=2, queue=0))
    answer = middleware({"PATH_INFO": "/"}, lambda status, headers: None)
    answer.close()  # type: ignore[attr-defined]
    answer.close()  # type: ignore[attr-defined]
    dropped = middleware({"PATH_INFO": "/"}, lambda status, headers: None)
    assert middleware.gate.at_work == 1
    del dropped
    assert middleware.gate.at_work == 0


def test_the_place_is_given_back_when_the_app_fails() -> None:
    def failing(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        raise RuntimeError("broken")

    middleware = AdmissionMiddleware(failing, policy=AdmissionPolicy(concurrency=1, queue=0))
    with pytest.raises(RuntimeError):
        middleware({"PATH_INFO": "/"}, lambda status, headers: None)
    assert middleware.gate.at_work == 0


def remaining_ms(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    """A WSGI app answering with the milliseconds its request has left."""
    deadline = current_deadline()
    assert deadline is not None
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [str(round(deadline.remaining() * 1000)).encode()]


def test_the_deadline_counts_from_when_the_request_arrived() -> None:
    clock = ManualClock()
    app = DeadlineMiddleware(remaining_ms, default_seconds=1.0, clock=clock)
    environ = {"PATH_INFO": "/", "REQUEST_METHOD": "GET", ARRIVED: clock.monotonic()}
    clock.advance(0.3)  # waited for its turn
    assert b"".join(app(environ, lambda status, headers: None)) == b"700"


def test_a_request_whose_deadline_passed_while_it_waited_is_refused_with_504() -> None:
    clock = ManualClock()
    app = DeadlineMiddleware(remaining_ms, default_seconds=1.0, clock=clock)
    statuses: list[str] = []
    environ = {"PATH_INFO": "/", "REQUEST_METHOD": "GET", ARRIVED: clock.monotonic()}
    clock.advance(1.2)
    app(environ, lambda status, headers: statuses.append(status))
    assert statuses == ["504 Gateway Timeout"]


def test_admission_leaves_the_arrival_on_its_own_clock() -> None:
    clock = ManualClock()
    held = Held()
    held.finish.set()
    middleware = AdmissionMiddleware(held, policy=AdmissionPolicy(), clock=clock)
    client(middleware).get("/")
    assert held.environ[ARRIVED] == clock.monotonic()


def test_the_policy_comes_from_the_environment() -> None:
    assert AdmissionPolicy.from_environment(Environment({})) == AdmissionPolicy()
    policy = AdmissionPolicy.from_environment(
        Environment({"ADMISSION_CONCURRENCY": "4", "ADMISSION_QUEUE": "0", "ADMISSION_WAIT": "0.5"})
    )
    assert (policy.concurrency, policy.queue, policy.wait) == (4, 0, 0.5)


@pytest.mark.parametrize(
    ("name", "value"),
    [("ADMISSION_CONCURRENCY", "0"), ("ADMISSION_QUEUE", "-1"), ("ADMISSION_WAIT", "never")],
)
def test_a_policy_the_service_cannot_run_with_stops_it(name: str, value: str) -> None:
    with pytest.raises(SettingError, match=name):
        AdmissionPolicy.from_environment(Environment({name: value}))
