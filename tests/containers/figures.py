"""The figures of a container run, printed in pytest's summary: image sizes, build
times, and how long after the run began the first cupcake was composed."""

from __future__ import annotations

import time

import pytest

_FIGURES = pytest.StashKey[dict[str, str]]()
_STARTED = pytest.StashKey[float]()


def figures_start(config: pytest.Config) -> None:
    """Start the run's clock, with no figure noted yet."""
    config.stash[_STARTED] = time.monotonic()
    config.stash[_FIGURES] = {}


def figure_note(config: pytest.Config, name: str, value: str) -> None:
    """Keep a figure of the run for the summary."""
    config.stash[_FIGURES][name] = value


def figures_noted(config: pytest.Config) -> dict[str, str]:
    """Every figure noted so far, in the order noted."""
    noted: dict[str, str] = config.stash.get(_FIGURES, {})
    return {**noted}


def seconds_since_start(config: pytest.Config) -> float:
    """Seconds since the run began."""
    return time.monotonic() - config.stash[_STARTED]
