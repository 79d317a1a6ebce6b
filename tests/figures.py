"""The figures a suite measures, shown after its tests and kept in test-results/."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest


def figures_report(
    terminalreporter: pytest.TerminalReporter,
    figures: Mapping[str, Mapping[str, Any]],
    *,
    path: Path,
    title: str,
) -> None:
    """Write ``figures`` to ``path`` (JSON) and show them in a section ``title``, one line
    each; nothing when there are none."""
    if not figures:
        return
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(figures, indent=2) + "\n")
    terminalreporter.section(title)
    for name, values in figures.items():
        terminalreporter.write_line(f"{name}: " + ", ".join(f"{k} {v}" for k, v in values.items()))
