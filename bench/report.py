"""The benchmark's table: ratios first, each against its goal."""

from __future__ import annotations

import argparse
import platform
from dataclasses import dataclass

import psutil

from bench.wrk import Load


@dataclass(frozen=True)
class Figure:
    """One line of the table."""

    name: str
    value: float
    unit: str
    goal: str
    met: bool
    detail: str

    @classmethod
    def ratio(cls, name: str, measured: Load, baseline: Load, *, goal: float) -> Figure:
        """Throughput of ``measured`` over ``baseline``, at least ``goal``."""
        value = measured.requests_per_second / baseline.requests_per_second
        detail = f"{measured.requests_per_second:.0f} / {baseline.requests_per_second:.0f} req/s"
        clean = measured.clean and baseline.clean
        return cls(name, value, "x", f">= {goal}x", value >= goal and clean, detail)

    @classmethod
    def p99_ratio(cls, name: str, measured: Load, baseline: Load, *, goal: float) -> Figure:
        """p99 latency of ``measured`` over ``baseline``, at most ``goal``."""
        value = measured.p99_ms / baseline.p99_ms
        detail = f"{measured.p99_ms:.1f} / {baseline.p99_ms:.1f} ms"
        return cls(name, value, "x", f"<= {goal}x", value <= goal, detail)

    @classmethod
    def limit(cls, name: str, value: float, unit: str, *, goal: float) -> Figure:
        """An absolute figure that must stay at or under ``goal``."""
        return cls(name, value, f" {unit}", f"<= {goal:g} {unit}", value <= goal, "")


def print_table(figures: list[Figure], args: argparse.Namespace) -> None:
    """Print the figures as a Markdown table, with how they were measured."""
    cores = psutil.cpu_count()
    print()
    python = platform.python_version()
    print(
        f"wrk, {args.connections} connections, {args.seconds:g} s per run after 1 s of warm-up; "
        f"granian, 1 worker per service; {cores} cores, Python {python}; healthy and stalled "
        f"compositions alternate {args.rounds} times, each figure the median run"
    )
    print()
    print("| figure | measured | goal | met | detail |")
    print("|---|---|---|---|---|")
    for figure in figures:
        value = f"{figure.value:.2f}{figure.unit}"
        met = "yes" if figure.met else "**no**"
        print(f"| {figure.name} | {value} | {figure.goal} | {met} | {figure.detail} |")
