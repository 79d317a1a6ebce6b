"""Typed reads of environment variables, for the settings module.

The values are checked by the chassis' parsers (``cupcake_chassis.env``), as in every
service; a bad one stops Django at start-up with ``ImproperlyConfigured``.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from cupcake_chassis.env import SettingError, count_parse, seconds_parse


def seconds_from_env(name: str, *, default: float) -> float:
    """Return the environment variable ``name`` as a positive number of seconds, else ``default``.

    A value that is not a positive finite number stops the service at start-up, with its name.
    """
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return seconds_parse(raw, name=name)
    except SettingError as exc:
        raise ImproperlyConfigured(str(exc)) from None


def count_from_env(name: str, *, default: int) -> int:
    """Return the environment variable ``name`` as a whole number of at least 1, else ``default``.

    Any other value stops the service at start-up, with its name.
    """
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return count_parse(raw, name=name)
    except SettingError as exc:
        raise ImproperlyConfigured(str(exc)) from None


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
