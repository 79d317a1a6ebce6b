"""Catalogue reads kept rendered per catalogue version (``cupcake_chassis.rendered``).

Rendering the list (ORM query, pydantic, JSON, SHA-256) costs several times the rest of a
read, and the list changes only when the catalogue does. Every write gives the catalogue a
new version token in its own transaction (``signals``); a read asks the database for the
token, one tiny query, and renders only for a token it has not seen, so every worker
process and host serves a list at least as new as the last write it could have seen.
"""

from collections.abc import Callable, Hashable
from typing import Any, TypeVar, cast

from django.db import connection

from bodies.catalogue.models import CatalogueVersion
from cupcake_chassis.rendered import RenderCache

T = TypeVar("T")

# Asked on every kept read: one cursor, no ORM query to build.
VERSION_SQL = f"SELECT version FROM {CatalogueVersion._meta.db_table}"

_kept: RenderCache[Any] = RenderCache()


def catalogue_version() -> str | None:
    """The catalogue's current version token (None if its row is missing)."""
    with connection.cursor() as cursor:
        cursor.execute(VERSION_SQL)
        row = cursor.fetchone()
    return None if row is None else str(row[0])


def catalogue_kept(key: Hashable, render: Callable[[], T]) -> T:
    """What ``render`` gives for the catalogue's current version, rendered once per version.

    The version is read first: what ``render`` reads next is at least as new as it. Kept
    values are shared between threads: never change one.
    """
    return cast(T, _kept.get(key, version=catalogue_version(), render=render))


def catalogue_kept_clear() -> None:
    """Forget every kept value (tests: each test's database starts from the same copy)."""
    _kept.clear()
