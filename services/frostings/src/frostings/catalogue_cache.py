"""Catalogue lists kept rendered per catalogue version (``cupcake_chassis.rendered``).

Rendering the list (three queries, marshmallow, JSON, SHA-256) costs several times the
rest of a read, and the list changes only when the catalogue does. Every write gives the
catalogue a new version token in its own transaction (``models.CatalogueVersion``); a read
asks the database for the token, one tiny query, and renders only for a token it has not
seen, so every worker process and host serves a list at least as new as the last write.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from flask import Flask, Response, current_app
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from cupcake_chassis.rendered import RenderCache
from frostings.caching import etag_for
from frostings.extensions import db

EXTENSION_KEY = "frostings.rendered"
T = TypeVar("T")
# Asked on every list read: straight through the driver, as SQLAlchemy's statement and
# result machinery would cost more than the query itself.
VERSION_SQL = "SELECT version FROM catalogue_version"


@dataclass(frozen=True)
class RenderedJson:
    """An answer rendered once: its JSON bytes and their entity tag."""

    body: bytes
    etag: str

    @classmethod
    def of(cls, response: Response) -> RenderedJson:
        """The bytes of a rendered ``response``, and their ETag."""
        body = response.get_data()
        return cls(body, etag_for(body))

    def response(self) -> Response:
        """A 200 answer carrying these bytes and their ETag."""
        return Response(self.body, mimetype="application/json", headers={"ETag": self.etag})


def catalogue_version_read(engine: Engine) -> str | None:
    """The catalogue's current version token (None if the row is missing).

    Driver errors leave as SQLAlchemy's (e.g. ``OperationalError``: 503), like any query's.
    """
    driver_error = engine.dialect.loaded_dbapi.Error
    try:
        connection = engine.raw_connection()
        try:
            cursor = connection.cursor()
            try:
                cursor.execute(VERSION_SQL)
                row = cursor.fetchone()
            finally:
                cursor.close()
        finally:
            connection.close()
    except driver_error as exc:
        raise DBAPIError.instance(VERSION_SQL, None, exc, driver_error) from exc
    return None if row is None else str(row[0])


def catalogue_kept(key: Hashable, render: Callable[[], T]) -> T:
    """What ``render`` gives for the catalogue's current version, rendered once per version.

    The version is read first: what ``render`` reads next is at least as new as it. Kept
    values are shared between requests and threads: never change one.
    """
    cache: RenderCache[Any] = current_app.extensions[EXTENSION_KEY]
    return cast(T, cache.get(key, version=catalogue_version_read(db.engine), render=render))


def rendered_list(key: Hashable, render: Callable[[], RenderedJson]) -> RenderedJson:
    """The list ``key`` as rendered for the catalogue's current version."""
    return catalogue_kept(("list", key), render)


def catalogue_cache_init(app: Flask) -> None:
    """Give ``app`` its cache of rendered lists."""
    app.extensions[EXTENSION_KEY] = RenderCache[Any]()
