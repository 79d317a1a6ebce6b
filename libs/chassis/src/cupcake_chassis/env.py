"""Typed values of environment variables, checked the same way in every service.

Each parser takes the raw text and the variable's name, and raises ``SettingError`` (a
``ValueError``) naming both when the value is not what the service can run with; each
service turns that into its framework's own start-up error.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

_Value = TypeVar("_Value")


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


def whole_parse(raw: str, *, name: str) -> int:
    """``raw`` as a whole number of at least 0."""
    text = raw.strip()
    if not text.isdigit():
        raise SettingError(f"{name} must be a whole number, not {raw!r}")
    return int(text)


def origins_parse(raw: str, *, name: str = "CORS_ALLOWED_ORIGINS") -> tuple[str, ...]:
    """The origins of a comma-separated list (``scheme://host[:port]`` each), lower case.

    ``*`` or anything that is not a bare http(s) origin is refused, so that a mistyped
    setting stops the service at start-up instead of opening it.
    """
    origins = []
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        if item == "*":
            raise SettingError(f"{name} lists origins; '*' is not allowed")
        parts = urlsplit(item)
        bare = f"{parts.scheme}://{parts.netloc}"
        if parts.scheme not in ("http", "https") or not parts.hostname or item != bare:
            raise SettingError(f"{name}: {item!r} is not an origin like https://app.example:8443")
        origins.append(item.lower())
    return tuple(origins)


class Environment:
    """Typed reads of a service's environment variables: the one way every service reads
    its settings. An empty value counts as unset; a value the service cannot run with
    raises ``error`` (``SettingError`` unless the framework wants its own) naming the
    variable, so that a bad setting stops the service at start-up.
    """

    def __init__(
        self,
        environ: Mapping[str, str] | None = None,
        *,
        error: Callable[[str], Exception] = SettingError,
    ) -> None:
        self._environ = os.environ if environ is None else environ
        self._error = error

    def text(self, name: str) -> str | None:
        """The value of ``name``, stripped; None when unset or empty."""
        return self._environ.get(name, "").strip() or None

    def url(self, name: str, *, default: str) -> str:
        """A base URL, without its trailing slash (``default`` when unset)."""
        return (self.text(name) or default).rstrip("/")

    def path(self, name: str, *, default: Path) -> Path:
        """A filesystem path (``default`` when unset)."""
        text = self.text(name)
        return default if text is None else Path(text)

    def state_dir(self) -> Path:
        """The lab's state folder: ``CUPCAKE_STATE_DIR``, else ``.lab`` in the working
        directory (where ``make up`` keeps the databases, the chaos files, the token)."""
        return self.path("CUPCAKE_STATE_DIR", default=Path.cwd() / ".lab")

    def database_url(self, service: str) -> str:
        """``DATABASE_URL``, else the SQLite file ``<service>.sqlite3`` in the state folder."""
        return self.text("DATABASE_URL") or f"sqlite:///{self.state_dir() / service}.sqlite3"

    def flag(self, name: str) -> bool:
        """Whether ``name`` is ``1``: anything else is off."""
        return self.text(name) == "1"

    def items(self, name: str, *, default: str = "") -> list[str]:
        """The comma-separated items of ``name`` (of ``default`` when unset)."""
        raw = self._environ.get(name)
        return [
            item.strip() for item in (default if raw is None else raw).split(",") if item.strip()
        ]

    def seconds(self, name: str, *, default: float) -> float:
        """A positive, finite number of seconds."""
        return self._parsed(name, seconds_parse, default)

    def count(self, name: str, *, default: int) -> int:
        """A whole number of at least 1."""
        return self._parsed(name, count_parse, default)

    def whole(self, name: str, *, default: int = 0) -> int:
        """A whole number of at least 0."""
        return self._parsed(name, whole_parse, default)

    def origins(self, name: str, *, default: str = "") -> tuple[str, ...]:
        """Bare origins (``scheme://host[:port]``); ``*`` or anything else is refused."""
        return self._checked(origins_parse, ",".join(self.items(name, default=default)), name)

    def _parsed(self, name: str, parse: Callable[..., _Value], default: _Value) -> _Value:
        raw = self.text(name)
        return default if raw is None else self._checked(parse, raw, name)

    def _checked(self, parse: Callable[..., _Value], raw: str, name: str) -> _Value:
        try:
            return parse(raw, name=name)
        except SettingError as exc:
            raise self._error(str(exc)) from None
