"""The siege tests' lab, how long they press, and the figures they report.

These tests measure latency: `make test` runs them alone (its solo phase), never beside
another suite's lab. ``SIEGE_SECONDS`` sets how long the composition is held at ten times
its capacity (the issue's 30 s by default); ``SIEGE_STEP_SECONDS`` how long each other
load lasts (10 s); `make test-siege-long` holds every load for the full 30 s.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import RunningLab, start_lab, stop_lab

FIGURES_FILE = Path("test-results/siege-figures.json")
# One row per load, in the order measured: what the terminal summary and the README show.
FIGURES: list[dict[str, object]] = []


def figures_record(row: dict[str, object]) -> dict[str, object]:
    """Keep one load's figures (``row``, which a test may still complete) for the summary."""
    FIGURES.append(row)
    return row


def seconds_setting(name: str, default: float) -> float:
    """A duration of the siege, from the environment (``default`` when unset)."""
    return float(os.environ.get(name) or default)


@pytest.fixture(scope="package")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLab]:
    """A lab as `make up` runs it (chaos enabled, no fault set): the server and admission
    settings under test are the launcher's own."""
    started = time.monotonic()
    running = start_lab(tmp_path_factory.mktemp("siege-lab"), chaos=True)
    figures_record({"load": "lab started", "seconds": round(time.monotonic() - started, 1)})
    yield running
    assert stop_lab(running) == 0, running.output.read_text()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Show each load's figures, one line each, and keep them in FIGURES_FILE."""
    lines = [" | ".join(f"{key} {value}" for key, value in row.items()) for row in FIGURES]
    if lines:
        terminalreporter.section("siege figures (latency as the client measured it)")
        for line in lines:
            terminalreporter.write_line(line)
        FIGURES_FILE.parent.mkdir(exist_ok=True)
        FIGURES_FILE.write_text(json.dumps(FIGURES, indent=2) + "\n")
