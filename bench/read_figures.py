"""Every read against its framework's minimal view answering the same bytes, over HTTP."""

from __future__ import annotations

import argparse
from pathlib import Path

import httpx

from bench import wrk
from bench.lab import BenchLab, baseline_start, baseline_stop
from bench.reads import (
    BASELINES,
    READS,
    Captured,
    Read,
    baseline_check,
    capture_over_http,
    documents_write,
)
from bench.report import Figure

# (goal, aim) of each read's throughput against its minimal view, and its p99 limit in ms.
CATALOGUE_GOALS = (0.5, 0.7, 25.0)
COMPOSITION_GOALS = (0.25, 0.35, 30.0)


def measure(url: str, args: argparse.Namespace) -> wrk.Load:
    """Warm ``url`` up, then measure it."""
    wrk.run(url, seconds=1, connections=args.connections)
    load = wrk.run(url, seconds=args.seconds, connections=args.connections)
    print(f"  {load.requests_per_second:9.0f} req/s  p99 {load.p99_ms:7.1f} ms  {url}", flush=True)
    return load


def read_figures_for(
    read: Read, real: wrk.Load, base: wrk.Load, *, connections: int
) -> list[Figure]:
    """The throughput ratio and the p99 of ``read``, each against its goal."""
    goal, aim, p99_limit = COMPOSITION_GOALS if read.per_request else CATALOGUE_GOALS
    same = "a captured copy of its bytes" if read.per_request else "the same bytes"
    return [
        Figure.ratio(
            f"{read.name} vs minimal {read.framework} view ({same})", real, base, goal=goal, aim=aim
        ),
        Figure.limit(
            f"{read.name} p99 at {connections} connections",
            real.p99_ms,
            "ms",
            goal=p99_limit,
            detail=f"minimal view {base.p99_ms:.1f} ms; p50 {real.p50_ms:.1f} ms",
        ),
    ]


def framework_figures(
    lab: BenchLab, captured: list[Captured], *, target: str, workdir: Path, args: argparse.Namespace
) -> dict[Read, list[Figure]]:
    """The reads of one framework, against its minimal view serving their captured bodies;
    the view must answer each byte for byte before anything is measured."""
    documents = documents_write(captured, workdir / f"documents-{captured[0].read.framework}.json")
    process, base_url = baseline_start(
        target,
        documents=documents,
        ready_path=captured[0].read.path,
        settings=lab.settings,
        service=captured[0].read.service,
    )
    figures = {}
    try:
        for each in captured:
            baseline_check(each, httpx.get(f"{base_url}{each.read.path}", timeout=10).content)
        for each in captured:
            base = measure(f"{base_url}{each.read.path}", args)
            real = measure(f"{lab.urls[each.read.service]}{each.read.path}", args)
            figures[each.read] = read_figures_for(
                each.read, real, base, connections=args.connections
            )
    finally:
        baseline_stop(process)
    return figures


def read_figures(lab: BenchLab, *, workdir: Path, args: argparse.Namespace) -> list[Figure]:
    """Every read of ``READS``: captured from the lab, then measured beside its baseline."""
    captured = [capture_over_http(read, lab.urls[read.service]) for read in READS]
    figures: dict[Read, list[Figure]] = {}
    for framework, target in BASELINES.items():
        mine = [each for each in captured if each.read.framework == framework]
        figures |= framework_figures(lab, mine, target=target, workdir=workdir, args=args)
    ratios = [figures[read][0] for read in READS]
    p99s = [figures[read][1] for read in READS]
    return ratios + p99s
