"""A lab with chaos enabled, and the tools the failure tests share."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

import httpx
import pytest

from tests.e2e.conftest import RunningLab, start_lab, stop_lab


class ReachableLab(Protocol):
    """A lab as the helpers here reach it, whoever started it (the launcher, or one service
    per network namespace in tests/hosts)."""

    urls: dict[str, str]


FRONT_DOOR_DEADLINE = 1.0
# What a "within the deadline" answer may take on top of it: the composition's own work
# and the HTTP round trip on a busy two-core machine.
SLACK = 0.5
WITHIN_DEADLINE = FRONT_DOOR_DEADLINE + SLACK
# Between two compositions of a wait: spares the shared machine, and is far below the
# catalogue answers' max-age (1 s) that such waits are usually about.
BREATH = 0.02
COMPOSE = "/api/v1/cupcake?body=vanilla&frosting=chocolate&topping=cherry"


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLab]:
    """A running lab with /_chaos enabled, shared by one module's tests."""
    running = start_lab(tmp_path_factory.mktemp("failure-lab"), chaos=True)
    yield running
    assert stop_lab(running) == 0, running.output.read_text()


@dataclass(frozen=True)
class Timed:
    """An answer and how long it took."""

    response: httpx.Response
    seconds: float

    @property
    def body(self) -> dict[str, object]:
        """The answer's JSON."""
        data: dict[str, object] = self.response.json()
        return data

    def status_of(self, service: str) -> str:
        """The status the composition gives ``service``."""
        services = self.body["services"]
        assert isinstance(services, dict)
        return str(services[service]["status"])


def compose(lab: ReachableLab, path: str = COMPOSE) -> Timed:
    """Ask the assembler for a composition and time the whole answer."""
    # The client is built before the clock starts: on a busy machine building one (its TLS
    # context) alone can take a few hundred milliseconds, more than the slack.
    with httpx.Client(timeout=10) as client:
        started = time.perf_counter()
        response = client.get(f"{lab.urls['bodies']}{path}")
        seconds = time.perf_counter() - started
    return Timed(response, seconds)


def chaos(lab: RunningLab, service: str, **settings: object) -> None:
    """Set ``service``'s chaos (nothing given: back to normal)."""
    answer = httpx.put(
        f"{lab.urls[service]}/_chaos",
        json=settings,
        headers={"Authorization": f"Bearer {lab.token}"},
        timeout=5,
    )
    assert answer.status_code == 200, answer.text


@contextmanager
def stalled(lab: RunningLab, service: str) -> Iterator[None]:
    """Freeze a service with ``cupcake-lab pause`` (SIGSTOP: connections are accepted, never
    answered), and ``resume`` it afterwards."""
    assert lab.cli("pause", service).returncode == 0
    try:
        yield
    finally:
        assert lab.cli("resume", service).returncode == 0


def compose_until(
    lab: ReachableLab, done: Callable[[list[Timed]], bool], *, timeout: float, what: str
) -> list[Timed]:
    """Compose until ``done`` holds for the compositions so far; every one of them must be a
    good one (200, within the front door's deadline). The wait is bounded by ``timeout``
    seconds, never by a count: a composition answered from fresh cached answers takes
    milliseconds, one that waits out a stalled peer takes the whole deadline."""
    seen: list[Timed] = []
    ends = time.monotonic() + timeout
    while not seen or not done(seen):
        assert time.monotonic() < ends, f"{what}: not within {timeout} s ({len(seen)} compositions)"
        if seen:
            time.sleep(BREATH)
        seen.append(compose(lab))
        assert seen[-1].response.status_code == 200, seen[-1].response.text
        assert seen[-1].seconds < WITHIN_DEADLINE, f"a composition took {seen[-1].seconds:.2f} s"
    return seen
