"""The soak's lab (small log files, so that they rotate within the run), how long it runs,
and the figures it reports."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import RunningLab, start_lab, stop_lab
from tests.figures import figures_report

# `make test` soaks for a minute and a quarter; `make soak` for ten minutes.
SOAK_SECONDS = float(os.environ.get("CUPCAKE_SOAK_SECONDS", "75"))
# Each service's log rotates at 128 KiB, three rotated files kept: the lab writes that much
# in seconds under load, so the soak sees many rotations.
LOG_MAX_BYTES = 128 * 1024
LOG_BACKUPS = 3

FIGURES_FILE = Path("test-results/soak-figures.json")
# The figures measured, a line each, for the terminal summary and FIGURES_FILE.
FIGURES: dict[str, dict[str, object]] = {}


@pytest.fixture(scope="package")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLab]:
    """A lab with baking unlimited (every person comes from 127.0.0.1) and small log files."""
    running = start_lab(
        tmp_path_factory.mktemp("soak-lab"),
        extra_env={
            "BAKE_RATE_LIMIT": "off",
            "CUPCAKE_LOG_MAX_BYTES": str(LOG_MAX_BYTES),
            "CUPCAKE_LOG_BACKUPS": str(LOG_BACKUPS),
        },
    )
    yield running
    assert stop_lab(running) == 0, running.output.read_text()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Show the soak's figures and keep them in test-results/soak-figures.json."""
    figures_report(terminalreporter, FIGURES, path=FIGURES_FILE, title="soak figures")
