"""Headless runs of bench/locustfile.py against a test lab, read back from the CSV files
Locust writes: in the foreground (``locust_run``) or beside the test (``locust_start``,
then ``locust_finish``)."""

from __future__ import annotations

import csv
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .conftest import RunningLab

ROOT = Path(__file__).resolve().parents[2]
LOCUSTFILE = ROOT / "bench" / "locustfile.py"
# Ten times fewer pauses than a person's, so that a few seconds hold every kind of action.
THINK_SCALE = "0.05"
# How long Locust may take beyond its run time: starting, stopping its people, writing.
LOCUST_SLACK = 90


@dataclass
class LocustRun:
    """What one headless run reported: requests and failures per (method, name) row."""

    requests: dict[tuple[str, str], int]
    failures: dict[tuple[str, str], int]
    failure_messages: list[dict[str, str]]
    exceptions: list[dict[str, str]]
    output: str
    # Locust's figures second by second (users, requests/s, ...): the run's "Aggregated" rows.
    history: list[dict[str, str]]

    def count(self, method: str, name: str) -> int:
        """Requests in one row of Locust's table (0 when it has none)."""
        return self.requests.get((method, name), 0)

    def rows_named(self, part: str) -> dict[tuple[str, str], int]:
        """The rows whose name holds ``part``, with their request counts."""
        return {row: count for row, count in self.requests.items() if part in row[1]}

    @property
    def refused(self) -> int:
        """Requests the services' admission gates refused (503 overloaded, Retry-After)."""
        return sum(self.rows_named("overloaded").values())


@dataclass
class LocustProcess:
    """A headless Locust run in progress."""

    process: subprocess.Popen[bytes]
    prefix: Path
    seconds: float
    # Where Locust's own output goes: a file, as a pipe nobody reads would fill and stall it.
    output_file: Path


def csv_rows(path: Path) -> list[dict[str, str]]:
    """The rows of one of Locust's CSV files."""
    with path.open(newline="") as source:
        return list(csv.DictReader(source))


def locust_start(
    lab: RunningLab,
    workdir: Path,
    *,
    users: int,
    seconds: float,
    think_scale: str = THINK_SCALE,
    shape: Path | None = None,
    options: Sequence[str] = (),
) -> LocustProcess:
    """Start the Locust file headless against ``lab``: ``users`` people arriving all in the
    first second, for ``seconds``; with ``shape``, that load shape's file too (it reads the
    same options, and ``options`` of its own)."""
    prefix = workdir / "locust"
    env = {
        **lab.env,
        "BODIES_URL": lab.urls["bodies"],
        "FROSTINGS_URL": lab.urls["frostings"],
        "TOPPINGS_URL": lab.urls["toppings"],
    }
    files = ",".join(str(path) for path in (LOCUSTFILE, *([shape] if shape else [])))
    command = [
        sys.executable, "-m", "locust", "-f", files, "--headless",
        "-u", str(users), "-r", str(users), "-t", f"{seconds:.0f}s", "--only-summary",
        "--csv", str(prefix), "--host", lab.urls["bodies"], "--think-scale", think_scale,
        *options,
    ]  # fmt: skip
    output_file = Path(f"{prefix}_output.txt")
    with output_file.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    return LocustProcess(process, prefix=prefix, seconds=seconds, output_file=output_file)


def people_running(running: LocustProcess) -> int:
    """How many people the run has, by its last second's figures (0 before the first)."""
    try:
        rows = csv_rows(Path(f"{running.prefix}_stats_history.csv"))
    except FileNotFoundError:
        return 0
    return int(rows[-1]["User Count"]) if rows else 0


def locust_finish(running: LocustProcess) -> LocustRun:
    """Wait for a run to end by itself and read back its CSV statistics."""
    try:
        running.process.wait(timeout=running.seconds + LOCUST_SLACK)
    except subprocess.TimeoutExpired:
        running.process.kill()
        running.process.wait()
    output = f"exit code {running.process.returncode}\n{running.output_file.read_text()}"
    prefix = running.prefix
    stats = csv_rows(Path(f"{prefix}_stats.csv"))
    return LocustRun(
        requests={(row["Type"], row["Name"]): int(row["Request Count"]) for row in stats},
        failures={(row["Type"], row["Name"]): int(row["Failure Count"]) for row in stats},
        failure_messages=csv_rows(Path(f"{prefix}_failures.csv")),
        exceptions=csv_rows(Path(f"{prefix}_exceptions.csv")),
        output=output,
        history=[
            row
            for row in csv_rows(Path(f"{prefix}_stats_history.csv"))
            if row["Name"] == "Aggregated"
        ],
    )


def locust_run(
    lab: RunningLab,
    workdir: Path,
    *,
    users: int = 4,
    seconds: int = 12,
    think_scale: str = THINK_SCALE,
) -> LocustRun:
    """Run the Locust file headless against ``lab`` and read back its CSV statistics."""
    running = locust_start(lab, workdir, users=users, seconds=seconds, think_scale=think_scale)
    return locust_finish(running)


def assert_no_failures(run: LocustRun) -> None:
    """Locust counted no failed request and no error in the users' own code."""
    assert run.failures[("", "Aggregated")] == 0, run.failure_messages
    assert run.failure_messages == [] and run.exceptions == [], run.output
    assert "exit code 0" in run.output, run.output
