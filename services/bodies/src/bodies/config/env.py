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


def flag_from_env(name: str) -> bool:
    """Return whether the environment variable ``name`` is ``1`` (anything else is off)."""
    return os.environ.get(name, "").strip() == "1"


def list_from_env(name: str, *, default: str = "") -> list[str]:
    """Return the comma-separated items of the environment variable ``name`` (else ``default``)."""
    raw = os.environ.get(name)
    return [item.strip() for item in (default if raw is None else raw).split(",") if item.strip()]


def hops_from_env(name: str) -> int:
    """Return the environment variable ``name`` as a whole number of at least 0 (default 0)."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return 0
    if not raw.isdigit():
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}")
    return int(raw)
