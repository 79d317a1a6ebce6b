"""Catalogue reads kept rendered per token of the catalogue's change signal.

Rendering a read (ORM query, pydantic, JSON, SHA-256) costs several times the rest of the
request, and a read changes only when the catalogue does. Every committed write tells the
catalogue's change signal (``cupcake_chassis.changes``: a token file beside a SQLite
database, ``NOTIFY`` on PostgreSQL; wired in ``signals``); a read takes the signal's token,
with no database round trip, and renders only for a token it has not seen, so every worker
process serves reads at least as new as the last write.
"""

from collections.abc import Callable, Hashable
from typing import Any, TypeVar, cast

from django.db import connections

from cupcake_chassis.changes import ChangeSignal, change_signal_for, postgres_change_signal
from cupcake_chassis.rendered import RenderCache

T = TypeVar("T")
CHANNEL = "bodies_catalogue"

_kept: RenderCache[Any] = RenderCache(max_entries=256)
_signals: dict[tuple[str, ...], ChangeSignal] = {}


def catalogue_changes(using: str = "default") -> ChangeSignal:
    """The change signal of the database ``using`` (Django's alias) points at now."""
    settings = connections.settings[using]
    key = (settings["ENGINE"], settings["NAME"], settings["HOST"], str(settings["PORT"]))
    signal = _signals.get(key)
    if signal is None:
        signal = _signals[key] = _signal_of(settings)
    return signal


def _signal_of(settings: dict[str, Any]) -> ChangeSignal:
    if settings["ENGINE"].endswith("sqlite3"):
        return change_signal_for(f"sqlite:///{settings['NAME']}", channel=CHANNEL)
    from psycopg.conninfo import make_conninfo

    conninfo = make_conninfo(
        dbname=settings["NAME"],
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
    )
    return postgres_change_signal(conninfo, channel=CHANNEL)


def catalogue_kept(key: Hashable, render: Callable[[], T]) -> T:
    """What ``render`` gives for the catalogue as it is now, rendered once per change.

    The token is taken first: what ``render`` reads next is at least as new as it. Kept
    values are shared between threads: never change one.
    """
    return cast(T, _kept.get(key, version=catalogue_changes().token(), render=render))


def catalogue_kept_clear() -> None:
    """Forget every kept value (tests: each test's database starts from the same copy)."""
    _kept.clear()
