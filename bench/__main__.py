"""``make bench``: the lab against each framework's minimal view, healthy against degraded.

Every figure is a ratio of two runs made side by side in this one run, on this machine,
with the same server (granian), workers and threads, and the same load (wrk).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from bench import wrk
from bench.lab import BenchLab, baseline_start, baseline_stop, lab_start, lab_stop
from bench.report import Figure, print_table

# The front door's deadline (bodies' REQUEST_DEADLINE): no answer may take longer.
DEADLINE_MS = 1000.0
COMPOSE = "/api/v1/cupcake?body=vanilla&frosting=chocolate&topping=cherry"
BASELINES = {
    "django": "bench.minimal.django_minimal:make_app",
    "flask": "bench.minimal.flask_minimal:make_app",
    "pyramid": "bench.minimal.pyramid_minimal:make_app",
}
CATALOGUES = (
    ("bodies", "django", "/api/v1/bodies"),
    ("frostings", "flask", "/api/v1/frostings"),
    ("toppings", "pyramid", "/api/v1/toppings"),
)


def measure(url: str, args: argparse.Namespace) -> wrk.Load:
    """Warm ``url`` up, then measure it."""
    wrk.run(url, seconds=1, connections=args.connections)
    load = wrk.run(url, seconds=args.seconds, connections=args.connections)
    print(f"  {load.requests_per_second:9.0f} req/s  p99 {load.p99_ms:7.1f} ms  {url}", flush=True)
    return load


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


def catalogue_figures(lab: BenchLab, args: argparse.Namespace) -> list[Figure]:
    """Each service's catalogue list against its framework's minimal view."""
    figures = []
    for service, framework, path in CATALOGUES:
        process, baseline_url = baseline_start(BASELINES[framework])
        try:
            base = measure(baseline_url, args)
            real = measure(f"{lab.urls[service]}{path}", args)
        finally:
            baseline_stop(process)
        figures.append(
            Figure.ratio(
                f"{service} `GET {path}` vs minimal {framework} view", real, base, goal=0.7
            )
        )
    return figures


def median(loads: list[wrk.Load], by: Callable[[wrk.Load], float]) -> wrk.Load:
    """The run with the median figure ``by``: one slow or lucky run does not make it."""
    return sorted(loads, key=by)[len(loads) // 2]


def throughput(load: wrk.Load) -> float:
    """Requests per second."""
    return load.requests_per_second


def p99(load: wrk.Load) -> float:
    """The 99th percentile of latency, in ms."""
    return load.p99_ms


def composition_figures(lab: BenchLab, args: argparse.Namespace) -> list[Figure]:
    """The composition warm against Django's minimal view, then healthy against toppings
    stalled, in alternating rounds so that both see the same machine."""
    compose_url = f"{lab.urls['bodies']}{COMPOSE}"
    process, baseline_url = baseline_start(BASELINES["django"])
    try:
        base = measure(baseline_url, args)
        warm = measure(compose_url, args)
    finally:
        baseline_stop(process)
    healthy, degraded = [], []
    for _round in range(args.rounds):
        healthy.append(measure(compose_url, args))
        with stalled(lab, "toppings"):
            breaker_opened(compose_url, "toppings")
            degraded.append(measure(compose_url, args))
    slowest = max(load.max_ms for load in degraded)
    return [
        Figure.ratio("composition (warm) vs minimal django view", warm, base, goal=0.5),
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
        Figure.limit("slowest composition with toppings stalled", slowest, "ms", goal=DEADLINE_MS),
    ]


def main() -> None:
    """Run every figure and print the table."""
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each measured run")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument(
        "--rounds", type=int, default=3, help="healthy/stalled rounds of the composition"
    )
    args = parser.parse_args()
    wrk.wrk_path()
    with tempfile.TemporaryDirectory(prefix="cupcake-bench-") as workdir:
        print("starting the lab ...", flush=True)
        lab = lab_start(Path(workdir))
        try:
            figures = [
                Figure.limit(
                    "`cupcake-lab up` (installed) to all ready", lab.up_seconds, "s", goal=3.0
                ),
                Figure.limit("memory of the running lab (PSS)", lab.memory_mb(), "MB", goal=300),
            ]
            figures += catalogue_figures(lab, args)
            figures += composition_figures(lab, args)
        finally:
            lab_stop(lab)
    print_table(figures, args)


if __name__ == "__main__":
    main()
