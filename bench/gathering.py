"""What gathering a composition's trace costs: the composition with its peers returning their
spans (``Trace-Spans``, the lab's default) against a second lab, started alongside, whose
services keep their own spans but ask no peer for theirs (``CUPCAKE_TRACE_GATHER=off``).

Rounds alternate between the two labs, so that both see the same machine; the idle lab
costs the measured one nothing. ``python -m bench.gathering`` measures this figure alone.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench.lab import BenchLab, lab_start, lab_stop
from bench.read_figures import measure
from bench.reads import COMPOSE
from bench.report import Figure, print_table
from bench.stalled import median, p99, throughput
from cupcake_chassis.spans import GATHER_ENV

# Gathering must cost the composition at most a tenth of its throughput.
GOAL = 0.9


def gathering_figures(lab: BenchLab, *, workdir: Path, args: argparse.Namespace) -> list[Figure]:
    """The composition on ``lab`` (gathering on) against a lab with gathering off."""
    plain_dir = workdir / "no-gathering"
    plain_dir.mkdir()
    plain = lab_start(plain_dir, extra_env={GATHER_ENV: "off"})
    gathered, alone = [], []
    try:
        for _round in range(args.rounds):
            gathered.append(measure(lab.urls["bodies"] + COMPOSE, args))
            alone.append(measure(plain.urls["bodies"] + COMPOSE, args))
    finally:
        lab_stop(plain)
    return [
        Figure.ratio(
            "composition, trace gathered vs not",
            median(gathered, throughput),
            median(alone, throughput),
            goal=GOAL,
        ),
        Figure.p99_ratio(
            "composition p99, trace gathered vs not",
            median(gathered, p99),
            median(alone, p99),
            goal=1.2,
        ),
    ]


def main() -> None:
    """Measure the gathering figures alone, on a lab of their own."""
    parser = argparse.ArgumentParser(prog="python -m bench.gathering", description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each measured run")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cupcake-bench-") as name:
        workdir = Path(name)
        (workdir / "gathering").mkdir()
        lab = lab_start(workdir / "gathering")
        try:
            figures = gathering_figures(lab, workdir=workdir, args=args)
        finally:
            lab_stop(lab)
    how = (
        f"wrk, {args.connections} connections, {args.seconds:g} s per run after 1 s of warm-up; "
        f"two labs alternating {args.rounds} times, each figure the median run"
    )
    print_table(figures, how=how)


if __name__ == "__main__":
    main()
