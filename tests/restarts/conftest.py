"""Labs for the restart tests, with one granian worker per service and with two, and the
figures the tests report."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import RunningLab, start_lab, stop_lab
from tests.figures import figures_report

FIGURES_FILE = Path("test-results/restart-figures.json")
# The figures measured, a line each, for the terminal summary and FIGURES_FILE.
FIGURES: dict[str, dict[str, object]] = {}


@pytest.fixture(scope="module", params=[1, 2], ids=["1-worker", "2-workers"])
def lab(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningLab]:
    """A lab whose services run ``request.param`` granian workers each, baking unlimited
    (every person comes from 127.0.0.1)."""
    workers = str(request.param)
    running = start_lab(
        tmp_path_factory.mktemp(f"restarts-{workers}-workers"),
        extra_env={"BAKE_RATE_LIMIT": "off", "CUPCAKE_WORKERS": workers},
    )
    yield running
    assert stop_lab(running) == 0, running.output.read_text()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Show what each restart cost and keep it in test-results/restart-figures.json."""
    figures_report(terminalreporter, FIGURES, path=FIGURES_FILE, title="restart figures")
