"""Database wiring in the shape of Pyramid's wiki2 tutorial.

``includeme`` builds the engine once per application and gives every request
a ``request.dbsession`` joined to the request's transaction (pyramid_tm), so
a request either commits all its changes or none of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pyramid_tm
import transaction
import zope.sqlalchemy
from pyramid.config import Configurator
from pyramid.request import Request
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker

from cupcake_chassis.changes import ChangeSignal, change_signal_for
from cupcake_chassis.databases import sqlalchemy_url
from cupcake_chassis.sqlalchemy_changes import catalogue_changes_watch
from cupcake_chassis.sqlalchemy_storage import (
    engine_options,
    engine_storage_install,
    session_close,
)

from ..settings import DATABASE_URL
from .meta import Base
from .topping import Topping

# The channel of the catalogue's change notifications on PostgreSQL.
CHANNEL = "toppings_catalogue"

__all__ = [
    "Base",
    "Topping",
    "get_engine",
    "get_session_factory",
    "get_tm_session",
]


def get_engine(settings: Mapping[str, Any]) -> Engine:
    """Create the engine for ``settings['sqlalchemy.url']`` (PostgreSQL through psycopg 3):
    SQLite in WAL mode, its lock waits within the request's deadline, dead or read-only
    connections replaced by themselves (``cupcake_chassis.sqlalchemy_storage``)."""
    url = sqlalchemy_url(settings[DATABASE_URL])
    engine = create_engine(url, **engine_options(url))
    engine_storage_install(engine)
    return engine


def get_session_factory(engine: Engine, *, changes: ChangeSignal) -> sessionmaker[Session]:
    """Return a session factory bound to ``engine`` whose commits tell ``changes``."""
    factory = sessionmaker(bind=engine)
    catalogue_changes_watch(factory, models=(Topping,), signal=lambda: changes)
    return factory


def get_tm_session(
    session_factory: sessionmaker[Session],
    transaction_manager: transaction.TransactionManager,
    request: Request | None = None,
) -> Session:
    """Return a session whose commit and rollback follow ``transaction_manager``."""
    dbsession = session_factory(info={"request": request})
    zope.sqlalchemy.register(dbsession, transaction_manager=transaction_manager)
    return dbsession


def transaction_wanted(request: Request) -> bool:
    """pyramid_tm's ``tm.activate_hook``: a transaction for requests that may write.

    Reads (GET, HEAD) get none: the two-phase commit machinery would cost more than a
    kept catalogue read, to commit nothing.
    """
    return request.method not in ("GET", "HEAD")


def includeme(config: Configurator) -> None:
    """Add the engine, pyramid_tm and ``request.dbsession`` to the application."""
    config.include("pyramid_tm")
    engine = get_engine(config.get_settings())
    changes = change_signal_for(config.get_settings()[DATABASE_URL], channel=CHANNEL)
    session_factory = get_session_factory(engine, changes=changes)
    config.registry["catalogue_changes"] = changes
    config.registry["dbengine"] = engine
    config.registry["dbsession_factory"] = session_factory

    def dbsession(request: Request) -> Session:
        # From the registry, per request: the app's database is whatever its registry holds.
        factory: sessionmaker[Session] = request.registry["dbsession_factory"]
        if pyramid_tm.is_tm_active(request):
            return get_tm_session(factory, request.tm, request=request)
        # A read: a plain session, closed (its reads rolled back) when the request ends.
        session = factory(info={"request": request})
        request.add_finished_callback(lambda _request: session_close(session))
        return session

    config.add_request_method(dbsession, reify=True)
