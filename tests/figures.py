"""Figures a suite measured: shown in pytest's terminal summary and kept in test-results/."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pytest

RESULTS = Path("test-results")


def figures_report(
    terminalreporter: pytest.TerminalReporter,
    *,
    title: str,
    figures: Mapping[str, Mapping[str, object]],
    file_name: str,
) -> None:
    """Write ``figures`` (a line each: name, then its figures) under ``title``, and keep
    them as JSON in ``test-results/<file_name>``; nothing when there are none."""
    if not figures:
        return
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / file_name).write_text(json.dumps(figures, indent=2) + "\n")
    terminalreporter.section(title)
    for name, values in figures.items():
        terminalreporter.write_line(f"{name}: " + ", ".join(f"{k} {v}" for k, v in values.items()))
