"""``make bench``: every figure of issue 11's "What to reach", each beside its goal.

Every ratio compares two runs made side by side in this one run, on this machine, with the
same server (granian), workers and threads per worker (the launcher's own settings), and the
same load (wrk): each read of the lab against its framework's minimal JSON view answering
the same bytes, the composition healthy against toppings stalled, and the composition with
its trace gathered against a lab that gathers none. Then, with the lab stopped, the
per-request cost table (``bench.costs``), measured in-process.
"""

from __future__ import annotations

import argparse
import platform
import tempfile
from collections.abc import Mapping
from pathlib import Path

import psutil

from bench import wrk
from bench.costs.run import arguments_add, cost_tables
from bench.gathering import gathering_figures
from bench.lab import BenchLab, lab_stop
from bench.read_figures import read_figures
from bench.report import print_table
from bench.same_bytes import NotSameBytes
from bench.stalled import stalled_figures
from bench.startup import lab_started_repeatedly, memory_figure


def how_measured(lab: BenchLab, args: argparse.Namespace) -> str:
    """One paragraph saying how this run measured its figures."""
    settings = lab.settings
    return (
        f"wrk, {args.connections} connections, {args.seconds:g} s per run after 1 s of warm-up; "
        f"granian, {settings.workers} worker(s) per service, threads per worker "
        f"{threads_described(settings.threads)}, each minimal view as the service it is "
        f"compared with; {psutil.cpu_count()} cores, Python {platform.python_version()}; "
        f"healthy and stalled compositions alternate {args.rounds} times, each figure the "
        "median run"
    )


def threads_described(threads: Mapping[str, int]) -> str:
    """Threads per worker of each service, in words (one figure when they are all the same)."""
    counts = set(threads.values())
    if len(counts) == 1:
        return str(counts.pop())
    return ", ".join(f"{name} {count}" for name, count in threads.items())


def arguments() -> argparse.Namespace:
    """The command line of ``make bench`` (``BENCH_FLAGS``)."""
    parser = argparse.ArgumentParser(prog="make bench", description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each measured run")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument(
        "--rounds", type=int, default=3, help="healthy/stalled rounds of the composition"
    )
    parser.add_argument("--starts", type=int, default=5, help="timed starts of the lab")
    parser.add_argument(
        "--no-costs", action="store_true", help="skip the in-process per-request cost table"
    )
    arguments_add(parser)
    return parser.parse_args()


def main() -> None:
    """Run every figure and print the tables; stop, saying why, if a baseline does not
    answer the bytes of the read it stands beside."""
    try:
        run(arguments())
    except NotSameBytes as exc:
        raise SystemExit(f"make bench: {exc}") from exc


def run(args: argparse.Namespace) -> None:
    """Run every figure and print the tables."""
    wrk.wrk_path()
    with tempfile.TemporaryDirectory(prefix="cupcake-bench-") as name:
        workdir = Path(name)
        lab, up = lab_started_repeatedly(workdir, starts=args.starts)
        try:
            reads = read_figures(lab, workdir=workdir, args=args)
            memory = memory_figure(lab, after="after the reads below")
            stalled = stalled_figures(lab, args)
            gathering = gathering_figures(lab, workdir=workdir, args=args)
            figures = [up, memory, *reads, *stalled, *gathering]
            how = how_measured(lab, args)
        finally:
            lab_stop(lab)
    table = cost_tables(args) if not args.no_costs else None
    print_table(figures, how=how)
    if table is not None:
        print()
        print(table)


if __name__ == "__main__":
    main()
