"""The crash tests' lab, the launcher's kill and start, and the figures they report."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cupcake_lab.control import ControlClient
from tests.e2e.conftest import RunningLab, start_lab, stop_lab
from tests.figures import figures_report

FIGURES_FILE = Path("test-results/crash-figures.json")
# Each storm's figures, in the order they were measured, for the terminal summary.
FIGURES: dict[str, dict[str, int | float]] = {}


@pytest.fixture(scope="package")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLab]:
    """A lab for the crash tests: baking unlimited, so that only the crashes refuse writes."""
    started = time.monotonic()
    running = start_lab(tmp_path_factory.mktemp("crash-lab"), extra_env={"BAKE_RATE_LIMIT": "off"})
    FIGURES["lab"] = {"seconds_to_up": round(time.monotonic() - started, 1)}
    yield running
    assert stop_lab(running) == 0, running.output.read_text()


def launcher_act(lab: RunningLab, service: str, action: str) -> None:
    """Ask the lab's launcher to ``kill`` (SIGKILL to the service's process group) or
    ``start`` (and wait until ready) one service: what ``cupcake-lab kill|start`` sends,
    without starting a process for the command."""
    answer = ControlClient(Path(lab.env["CUPCAKE_STATE_DIR"]) / "lab.json").act(service, action)
    assert "error" not in answer, answer


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Show the figures (writes sent, acknowledged, found) and keep them in test-results/."""
    figures_report(terminalreporter, FIGURES, path=FIGURES_FILE, title="crash test figures")
