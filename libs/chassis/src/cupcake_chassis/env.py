"""Typed values of environment variables, checked the same way in every service.

Each parser takes the raw text and the variable's name, and raises ``SettingError`` (a
``ValueError``) naming both when the value is not what the service can run with; each
service turns that into its framework's own start-up error.
"""

from __future__ import annotations

import math


class SettingError(ValueError):
    """An environment variable holds a value the service cannot run with."""


def seconds_parse(raw: str, *, name: str) -> float:
    """``raw`` as a positive, finite number of seconds."""
    try:
        seconds = float(raw)
    except ValueError:
        raise SettingError(f"{name} must be a number of seconds, not {raw!r}") from None
    if not math.isfinite(seconds) or seconds <= 0:
        raise SettingError(f"{name} must be a positive number of seconds, not {raw!r}")
    return seconds


def count_parse(raw: str, *, name: str) -> int:
    """``raw`` as a whole number of at least 1."""
    text = raw.strip()
    if not text.isdigit() or int(text) < 1:
        raise SettingError(f"{name} must be a whole number of at least 1, not {raw!r}")
    return int(text)
