"""How long ``cupcake-lab up`` takes to all ready, and what the running lab holds."""

from __future__ import annotations

import statistics
from pathlib import Path

from bench.lab import BenchLab, lab_start, lab_stop
from bench.report import Figure

UP_GOAL_S = 2.5
MEMORY_GOAL_MB, MEMORY_AIM_MB = 270.0, 250.0


def up_figure(*, fresh: float, starts: list[float]) -> Figure:
    """The median of ``starts`` (each on the state a previous start left), against its goal;
    the first start on an empty state folder (``fresh``) is shown, not counted."""
    every = ", ".join(f"{seconds:.2f}" for seconds in starts)
    return Figure.limit(
        f"`cupcake-lab up` (installed) to all ready, median of {len(starts)}",
        statistics.median(starts),
        "s",
        goal=UP_GOAL_S,
        detail=f"starts: {every} s; first start on an empty state folder {fresh:.2f} s",
    )


def memory_figure(lab: BenchLab, *, after: str) -> Figure:
    """The lab's PSS (launcher, servers, workers) against its goal."""
    return Figure.limit(
        "memory of the running lab (PSS)",
        lab.memory_mb(),
        "MB",
        goal=MEMORY_GOAL_MB,
        aim=MEMORY_AIM_MB,
        detail=f"launcher, three granian servers and their workers, {after}",
    )


def lab_started_repeatedly(workdir: Path, *, starts: int) -> tuple[BenchLab, Figure]:
    """Start the lab once on an empty state folder, then ``starts`` times on the state it
    left, timing each; the last one is left running for the rest of the benchmark."""
    print(f"starting the lab {starts + 1} times ...", flush=True)
    lab = lab_start(workdir)
    fresh = lab.up_seconds
    seconds = []
    for _start in range(starts):
        lab_stop(lab)
        lab = lab_start(workdir)
        seconds.append(lab.up_seconds)
        print(f"  up in {lab.up_seconds:.2f} s", flush=True)
    return lab, up_figure(fresh=fresh, starts=seconds)
