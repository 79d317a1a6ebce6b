"""bench/locustfile.py plays people on a real lab: a short headless Locust run, read back
from the CSV files Locust writes."""

from __future__ import annotations

import csv
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx

from .conftest import RunningLab

ROOT = Path(__file__).resolve().parents[2]
LOCUSTFILE = ROOT / "bench" / "locustfile.py"
# Ten times fewer pauses than a person's, so that a few seconds hold every kind of action.
THINK_SCALE = "0.05"


@dataclass
class LocustRun:
    """What one headless run reported: requests and failures per (method, name) row."""

    requests: dict[tuple[str, str], int]
    failures: dict[tuple[str, str], int]
    failure_messages: list[dict[str, str]]
    exceptions: list[dict[str, str]]
    output: str

    def count(self, method: str, name: str) -> int:
        """Requests in one row of Locust's table (0 when it has none)."""
        return self.requests.get((method, name), 0)


def csv_rows(path: Path) -> list[dict[str, str]]:
    """The rows of one of Locust's CSV files."""
    with path.open(newline="") as source:
        return list(csv.DictReader(source))


def locust_run(lab: RunningLab, workdir: Path, *, users: int = 4, seconds: int = 12) -> LocustRun:
    """Run the Locust file headless against ``lab`` and read back its CSV statistics."""
    prefix = workdir / "locust"
    env = {
        **lab.env,
        "BODIES_URL": lab.urls["bodies"],
        "FROSTINGS_URL": lab.urls["frostings"],
        "TOPPINGS_URL": lab.urls["toppings"],
    }
    command = [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
        "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--only-summary",
        "--csv", str(prefix), "--host", lab.urls["bodies"], "--think-scale", THINK_SCALE,
    ]  # fmt: skip
    done = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=seconds + 90
    )
    output = f"exit code {done.returncode}\n{done.stdout}\n{done.stderr}"
    stats = csv_rows(Path(f"{prefix}_stats.csv"))
    return LocustRun(
        requests={(row["Type"], row["Name"]): int(row["Request Count"]) for row in stats},
        failures={(row["Type"], row["Name"]): int(row["Failure Count"]) for row in stats},
        failure_messages=csv_rows(Path(f"{prefix}_failures.csv")),
        exceptions=csv_rows(Path(f"{prefix}_exceptions.csv")),
        output=output,
    )


def assert_no_failures(run: LocustRun) -> None:
    """Locust counted no failed request and no error in the users' own code."""
    assert run.failures[("", "Aggregated")] == 0, run.failure_messages
    assert run.failure_messages == [] and run.exceptions == [], run.output
    assert "exit code 0" in run.output, run.output


def test_every_kind_of_visit_runs_against_a_healthy_lab_without_a_failure(
    lab: RunningLab, tmp_path: Path
) -> None:
    run = locust_run(lab, tmp_path)

    assert_no_failures(run)
    assert run.count("GET", "/") > 0, run.output  # the page
    assert run.count("GET", "/static/{asset}") > 0, run.output
    assert run.count("GET", "/api/v1/cupcake") > 0, run.output  # composing, polling
    assert run.count("POST", "/api/v1/cupcakes") > 0, run.output  # baking
    assert run.count("GET", "/api/v1/cupcakes?page={n}") > 0, run.output  # the gallery
    for service in ("bodies", "frostings", "toppings"):
        assert run.count("GET", f"{service}: /api/v1/{service}/{{slug}}/image.svg") > 0
    assert not [name for _, name in run.requests if "service down" in name], run.requests
    gallery = httpx.get(f"{lab.urls['bodies']}/api/v1/cupcakes").json()
    # Every 201 counted was saved (a bake still on its way when the run ended may be too).
    assert gallery["total"] >= run.count("POST", "/api/v1/cupcakes")


def test_a_killed_toppings_service_is_survived_without_a_failure(
    lab: RunningLab, tmp_path: Path
) -> None:
    baked = httpx.post(
        f"{lab.urls['bodies']}/api/v1/cupcakes",
        json={"body": "vanilla", "frosting": "vanilla", "topping": "cherry"},
    )
    assert baked.status_code == 201, baked.text  # the gallery shows a toppings picture
    assert lab.cli("kill", "toppings").returncode == 0
    try:
        run = locust_run(lab, tmp_path)
    finally:
        assert lab.cli("start", "toppings").returncode == 0
        lab.wait_ready("toppings")

    assert_no_failures(run)
    assert run.count("GET", "/api/v1/cupcake") > 0, run.output  # 200 all along
    down = "toppings: /api/v1/toppings/{slug}/image.svg [service down]"
    assert run.count("GET", down) > 0, run.requests  # the gallery's pictures of toppings
    assert run.count("GET", "toppings: /api/v1/toppings/{slug}/image.svg") == 0, run.requests
