"""Typed reads of environment variables, for the settings module."""

import math
import os

from django.core.exceptions import ImproperlyConfigured


def seconds_from_env(name: str, *, default: float) -> float:
    """Return the environment variable ``name`` as a positive number of seconds, else ``default``.

    A value that is not a positive finite number stops the service at start-up, with its name.
    """
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        seconds = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number of seconds, not {raw!r}") from None
    if not math.isfinite(seconds) or seconds <= 0:
        raise ImproperlyConfigured(f"{name} must be a positive number of seconds, not {raw!r}")
    return seconds


def count_from_env(name: str, *, default: int) -> int:
    """Return the environment variable ``name`` as a whole number of at least 1, else ``default``.

    Any other value stops the service at start-up, with its name.
    """
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ImproperlyConfigured(f"{name} must be a whole number of at least 1, not {raw!r}")
    return int(raw)
