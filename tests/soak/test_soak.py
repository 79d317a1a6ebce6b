"""A soak: the Locust file's people at half the lab's measured capacity for a long run.

The capacity is measured first, in the same run on the same machine: people who never
pause (a closed loop) saturate the lab, and the requests a second they get answered is it.
Then people with short pauses, as many as make half that rate, held after a warm-up, for
``CUPCAKE_SOAK_SECONDS``, while each service's server and workers are sampled. The run
must fail no request, and each service must hold steady: resident memory within 10 % of
what it was after the warm-up, open file descriptors and threads flat, its log files
rotated and bounded.
"""

from __future__ import annotations

import statistics
from pathlib import Path

from tests.e2e.conftest import RunningLab, started_pid
from tests.e2e.locust_runs import (
    LocustRun,
    assert_no_failures,
    locust_finish,
    locust_run,
    locust_start,
)

from .conftest import FIGURES, FIGURES_FILE, LOG_BACKUPS, LOG_MAX_BYTES, SOAK_SECONDS
from .usage import Sample, Sampler, median_of, samples_write

STEADY_RATE = Path(__file__).with_name("steady_rate.py")
# The closed loop: enough people with no pauses to saturate two cores, for long enough
# that the second half of the burst is steady.
BURST_PEOPLE = 32
BURST_SECONDS = 20
# The soak's people pause a tenth of a person's pauses, and start this many.
THINK_SCALE = "0.1"
FIRST_PEOPLE = 8
# The bound on resident memory, after the warm-up.
RSS_GROWTH = 0.10
# How far from the target the rate may be, on a machine shared with others.
RATE_TOLERANCE = 0.4
# The share of requests the services' admission gates may refuse (503 overloaded, Retry-After:
# an answer, at once, saying when to come back). At half the capacity they refuse none,
# but a stall of this shared machine makes them refuse for a moment; more would be the gate
# refusing the load itself.
REFUSED_AT_MOST = 0.01


def steady_rate(run: LocustRun, *, after: float) -> float:
    """The median of the requests a second Locust measured ``after`` seconds into the run."""
    started = int(run.history[0]["Timestamp"])
    rates = [
        float(row["Requests/s"])
        for row in run.history
        if int(row["Timestamp"]) - started >= after and row["Requests/s"] != "0.000000"
    ]
    assert rates, run.output
    return statistics.median(rates)


def capacity_measured(lab: RunningLab, workdir: Path) -> float:
    """Requests a second the lab serves to people who never pause: Locust's rate, less the
    share refused or failed (past saturation the gates refuse what they cannot serve)."""
    workdir.mkdir()
    burst = locust_run(lab, workdir, users=BURST_PEOPLE, seconds=BURST_SECONDS, think_scale="0")
    requests = burst.count("", "Aggregated")
    failed = burst.failures.get(("", "Aggregated"), 0)
    served = (requests - burst.refused - failed) / requests
    rate = steady_rate(burst, after=BURST_SECONDS / 2) * served
    FIGURES["capacity"] = {
        "people": BURST_PEOPLE,
        "seconds": BURST_SECONDS,
        "requests_per_second": round(rate, 1),
        "requests": requests,
        "refused_at_saturation": burst.refused,
        "failed_at_saturation": failed,
    }
    return rate


def growth(before: float, after: float) -> float:
    """How much ``after`` is above ``before``, as a share of it."""
    return (after - before) / before


def check_steady(sampler: Sampler, *, warm_up: float) -> list[str]:
    """Each watched process's figures after the warm-up against the issue's bounds: the
    broken bounds, in words (none when all hold). The figures go to FIGURES."""
    steady = sampler.after(warm_up)
    assert len(steady) >= 6, f"too few samples after the warm-up: {len(steady)}"
    third = len(steady) // 3
    first, last = steady[:third], steady[-third:]
    broken = []
    for name in first[0].usage:
        start_rss = median_of(first, name, "rss_bytes")
        end_rss = median_of(last, name, "rss_bytes")
        figures: dict[str, object] = {
            "rss_mb": f"{start_rss / 2**20:.1f} -> {end_rss / 2**20:.1f}",
            "rss_growth_pct": round(100 * growth(start_rss, end_rss), 1),
        }
        if growth(start_rss, end_rss) > RSS_GROWTH:
            broken.append(f"{name}: resident memory grew {figures['rss_growth_pct']} %")
        for figure in ("fds", "threads"):
            most_first, most_last = (max_of(part, name, figure) for part in (first, last))
            figures[figure] = f"{most_first} -> {most_last}"
            if most_last > flat_bound(most_first):
                broken.append(f"{name}: {figure} went from {most_first} to {most_last}")
        pids = {sample.usage[name].pids for sample in steady}
        if len(pids) != 1:
            broken.append(f"{name}: its processes changed during the soak: {pids}")
        FIGURES[name] = figures
    return broken


def max_of(samples: list[Sample], name: str, figure: str) -> int:
    """The most of one figure (``fds``, ``threads``) ``name`` had in ``samples``."""
    return max(int(getattr(sample.usage[name], figure)) for sample in samples)


def flat_bound(most_first: int) -> int:
    """What a count that stays flat may reach in the last third of the soak, given the most
    it reached in the first: a connection or a thread more or less, never a trend."""
    return most_first + max(2, most_first // 10)


def check_logs(lab: RunningLab) -> list[str]:
    """Each service's log files: rotated, none over the size, no more than the backups
    kept. The broken bounds, in words (none when all hold)."""
    logs = Path(lab.env["CUPCAKE_STATE_DIR"]) / "logs"
    broken = []
    for name in ("bodies", "frostings", "toppings"):
        files = sorted(logs.glob(f"{name}.log*"))
        sizes = {path.name: path.stat().st_size for path in files}
        allowed = {f"{name}.log"} | {f"{name}.log.{n}" for n in range(1, LOG_BACKUPS + 1)}
        FIGURES.setdefault(name, {})["log_files_kb"] = {
            file: round(size / 1024) for file, size in sizes.items()
        }
        if f"{name}.log.1" not in sizes:
            broken.append(f"{name}: its log never rotated: {sizes}")
        if set(sizes) - allowed or any(size > LOG_MAX_BYTES for size in sizes.values()):
            broken.append(f"{name}: log files past the bounds: {sizes}")
        if not sizes.get(f"{name}.log"):
            broken.append(f"{name}: nothing written since the last rotation: {sizes}")
    return broken


def test_half_the_capacity_for_a_long_run_fails_nothing_and_holds_steady(
    lab: RunningLab, tmp_path: Path
) -> None:
    target = capacity_measured(lab, tmp_path / "burst") / 2
    warm_up = max(20.0, SOAK_SECONDS / 4)
    servers = {name: started_pid(row) for name, row in lab.statuses().items()}
    sampler = Sampler(servers, launcher=lab.process.pid, interval=max(2.0, SOAK_SECONDS / 40))
    (tmp_path / "soak").mkdir()

    sampler.start()
    try:
        run = locust_finish(
            locust_start(
                lab,
                tmp_path / "soak",
                users=FIRST_PEOPLE,
                seconds=SOAK_SECONDS,
                think_scale=THINK_SCALE,
                shape=STEADY_RATE,
                options=["--target-rps", f"{target:.1f}", "--warm-up", f"{warm_up:.0f}"],
            )
        )
    finally:
        sampler.stop()
        samples_write(sampler.samples, FIGURES_FILE.with_name("soak-samples.json"))

    rate = steady_rate(run, after=warm_up)
    FIGURES["soak"] = {
        "seconds": SOAK_SECONDS,
        "warm_up_seconds": warm_up,
        "target_requests_per_second": round(target, 1),
        "requests_per_second": round(rate, 1),
        "people": run.history[-1]["User Count"],
        "requests": run.count("", "Aggregated"),
        "refused": run.refused,
        "failed": run.failures.get(("", "Aggregated"), 0),
    }
    assert_no_failures(run)
    assert run.refused <= REFUSED_AT_MOST * run.count("", "Aggregated"), FIGURES["soak"]
    assert not run.rows_named("service down"), run.requests
    assert abs(rate - target) <= RATE_TOLERANCE * target, FIGURES["soak"]
    assert check_steady(sampler, warm_up=warm_up) == [], FIGURES
    assert check_logs(lab) == [], FIGURES
