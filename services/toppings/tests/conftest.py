"""Markers by folder: everything under unit/ is ``unit``, under integration/ ``integration``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Log lines are written in the test's own thread, so pytest captures them with the test.
os.environ.setdefault("CUPCAKE_LOG_QUEUE", "0")

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test by the folder it lives in, so ``-m unit`` selects the fast ones."""
    for item in items:
        folder = Path(item.path).relative_to(HERE).parts[0]
        if folder in ("unit", "integration"):
            item.add_marker(getattr(pytest.mark, folder))
