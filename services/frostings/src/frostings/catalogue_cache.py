"""Catalogue reads kept rendered per token of the catalogue's change signal.

Rendering a read (queries, marshmallow, JSON, SHA-256) costs several times the rest of the
request, and a read changes only when the catalogue does. Every committed write tells the
catalogue's change signal (``cupcake_chassis.changes``: a token file beside a SQLite
database, ``NOTIFY`` on PostgreSQL; wired in ``models``); a read takes the signal's token,
with no database round trip, and renders only for a token it has not seen, so every worker
process serves reads at least as new as the last write.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from flask import Flask, Response, current_app

from cupcake_chassis.changes import ChangeSignal, change_signal_for
from cupcake_chassis.conditional import etag_for
from cupcake_chassis.rendered import RenderCache

EXTENSION_KEY = "frostings.rendered"
SIGNAL_KEY = "frostings.changes"
CHANNEL = "frostings_catalogue"
T = TypeVar("T")


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


def catalogue_changes() -> ChangeSignal:
    """The change signal of the current app's database."""
    signal: ChangeSignal = current_app.extensions[SIGNAL_KEY]
    return signal


def catalogue_kept(key: Hashable, render: Callable[[], T]) -> T:
    """What ``render`` gives for the catalogue as it is now, rendered once per change.

    The token is taken first: what ``render`` reads next is at least as new as it. Kept
    values are shared between requests and threads: never change one.
    """
    token = catalogue_changes().token()
    cache: RenderCache[Any] = current_app.extensions[EXTENSION_KEY]
    return cast(T, cache.get(key, version=token, render=render))


def catalogue_cache_init(app: Flask) -> None:
    """Give ``app`` its cache of rendered reads and its database's change signal."""
    app.extensions[EXTENSION_KEY] = RenderCache[Any](max_entries=256)
    app.extensions[SIGNAL_KEY] = change_signal_for(
        app.config["SQLALCHEMY_DATABASE_URI"], channel=CHANNEL
    )
