"""The composition with toppings stalled (SIGSTOP) against healthy, in alternating rounds."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx

from bench import wrk
from bench.lab import BenchLab
from bench.read_figures import measure
from bench.reads import COMPOSE
from bench.report import Figure

# The front door's deadline (bodies' REQUEST_DEADLINE): no answer may take longer.
DEADLINE_MS = 1000.0


@contextmanager
def stalled(lab: BenchLab, service: str) -> Iterator[None]:
    """Freeze ``service`` (``cupcake-lab pause``: SIGSTOP); resume it afterwards."""
    lab.cli("pause", service)
    try:
        yield
    finally:
        lab.cli("resume", service)


def breaker_opened(url: str, service: str, timeout: float = 30) -> None:
    """Compose until the breakers to ``service`` are open (bounded)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        calls = httpx.get(url, timeout=10).json()["calls"]
        if any(c["service"] == service and c.get("breaker") == "open" for c in calls):
            return
    raise SystemExit(f"the breaker to {service} did not open within {timeout} s")


def median(loads: list[wrk.Load], by: Callable[[wrk.Load], float]) -> wrk.Load:
    """The run with the median figure ``by``: one slow or lucky run does not make it."""
    return sorted(loads, key=by)[len(loads) // 2]


def throughput(load: wrk.Load) -> float:
    """Requests per second."""
    return load.requests_per_second


def p99(load: wrk.Load) -> float:
    """The 99th percentile of latency, in ms."""
    return load.p99_ms


def stalled_figures(lab: BenchLab, args: argparse.Namespace) -> list[Figure]:
    """The composition healthy against toppings stalled, in alternating rounds so that both
    see the same machine."""
    compose_url = f"{lab.urls['bodies']}{COMPOSE}"
    healthy, degraded = [], []
    for _round in range(args.rounds):
        healthy.append(measure(compose_url, args))
        with stalled(lab, "toppings"):
            breaker_opened(compose_url, "toppings")
            degraded.append(measure(compose_url, args))
    slowest = max(load.max_ms for load in degraded)
    return [
        Figure.ratio(
            "composition, toppings stalled vs healthy",
            median(degraded, throughput),
            median(healthy, throughput),
            goal=0.8,
        ),
        Figure.p99_ratio(
            "composition p99, toppings stalled vs healthy",
            median(degraded, p99),
            median(healthy, p99),
            goal=1.5,
        ),
        Figure.limit(
            "slowest composition with toppings stalled",
            slowest,
            "ms",
            goal=DEADLINE_MS,
            detail="the front door's deadline",
        ),
    ]
