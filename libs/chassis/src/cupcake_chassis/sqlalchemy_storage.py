"""SQLAlchemy engines that keep storage faults within the deadline and heal by themselves.

``engine_storage_install(engine)`` gives an engine what ``cupcake_chassis.storage`` asks of
every service's database layer:

- SQLite: every new connection in WAL mode, with foreign keys; before each statement, its
  lock wait bounded by the request's deadline and a write refused while the database file
  cannot be written; a connection opened while the file was read-only (SQLite then opens
  it read-only for good) replaced once the file is writable again;
- PostgreSQL: before each write and each read that locks rows, its lock wait bounded by
  the request's deadline;
- any database: a connection whose failure leaves it useless (closed by the server, opened
  read-only) dropped from the pool, so the next request gets a new one.

``engine_options(url)`` adds, for a database server, a ping when a connection leaves the
pool (one that the server closed while it waited is replaced before a request sees it) and
a bounded connect. ``session_close(session)`` ends a request's session even when the
server closed its connection in the meantime. ``storage_checks(engine)`` are its
readiness checks beyond the database answering (SQLite's, and ``writable`` on PostgreSQL).
Needs SQLAlchemy (the ``sqlalchemy`` extra of the chassis).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import Session
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection

from cupcake_chassis.storage import (
    DEFAULT_LOCK_WAIT,
    Check,
    file_writable,
    postgres_lock_wait_sql,
    postgres_writable_check,
    sqlite_checks,
    sqlite_path,
    sqlite_statement_prepare,
    storage_failure,
)

# Set on a pooled SQLite connection opened while its file could not be written.
OPENED_READ_ONLY = "cupcake_opened_read_only"
# Seconds a new connection to a database server may take (libpq's least is 2).
CONNECT_TIMEOUT = 2


def engine_options(database_url: str) -> dict[str, Any]:
    """``create_engine``'s keyword arguments for ``database_url``: for a server, a ping
    before a pooled connection is used, and a bounded connect; none for SQLite."""
    if database_url.startswith("sqlite"):
        return {}
    return {"pool_pre_ping": True, "connect_args": {"connect_timeout": CONNECT_TIMEOUT}}


def session_close(session: Session) -> None:
    """Close a request's ``session``. A connection the server closed since the request's
    last statement (a restart, ``pg_terminate_backend``) has nothing left to roll back: the
    server did, and the pool has dropped it; that is no failure of the request's."""
    try:
        session.close()
    except DBAPIError as exc:
        if not exc.connection_invalidated:
            raise


def engine_storage_install(engine: Engine) -> None:
    """Listen on ``engine`` as the module says (once per engine)."""
    path = sqlite_path(str(engine.url)) if engine.dialect.name == "sqlite" else None
    if engine.dialect.name == "sqlite":
        _sqlite_install(engine, path)
    elif engine.dialect.name == "postgresql":
        _postgres_install(engine)

    @event.listens_for(engine, "handle_error")
    def _dropped_if_useless(context: ExceptionContext) -> None:
        failure = storage_failure(context.original_exception)
        if failure is not None and failure.reconnect and not context.is_disconnect:
            context.is_disconnect = True
            # A file's trouble is this connection's; a server's, every connection's.
            context.invalidate_pool_on_disconnect = path is None


def _sqlite_install(engine: Engine, path: str | None) -> None:
    @event.listens_for(engine, "connect")
    def _tuned(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={int(DEFAULT_LOCK_WAIT * 1000)}")
            cursor.execute("PRAGMA foreign_keys=ON")
        finally:
            cursor.close()
        if path is not None:
            record.info[OPENED_READ_ONLY] = not file_writable(path)

    @event.listens_for(engine, "checkout")
    def _renewed_if_writable(
        dbapi_connection: Any, record: ConnectionPoolEntry, proxy: PoolProxiedConnection
    ) -> None:
        if path is not None and record.info.get(OPENED_READ_ONLY) and file_writable(path):
            # The pool then opens a new connection, which SQLite opens read-write.
            raise DisconnectionError("opened while the database file was read-only")

    @event.listens_for(engine, "before_cursor_execute", retval=True)
    def _prepared(
        connection: Any,
        cursor: Any,
        statement: str,
        parameters: Any,
        context: Any,
        executemany: bool,
    ) -> tuple[str, Any]:
        sqlite_statement_prepare(cursor.connection, path=path, sql=statement)
        return statement, parameters


def _postgres_install(engine: Engine) -> None:
    # Positional, as SQLAlchemy calls it: ``named=True`` would build a dict per statement.
    @event.listens_for(engine, "before_cursor_execute")
    def _lock_wait_bounded(connection: Any, cursor: Any, statement: str, *_: Any) -> None:
        bound = postgres_lock_wait_sql(statement)
        if bound is not None:
            cursor.execute(bound)


def storage_checks(engine: Engine, *, database_answered: bool) -> dict[str, Check]:
    """The readiness checks of ``engine``'s storage beyond the database answering: on
    SQLite ``sqlite_checks``; on PostgreSQL, once it answered (``database_answered``),
    ``writable`` (``postgres_writable_check``, in a transaction of its own, rolled back)."""
    path = sqlite_path(str(engine.url))
    if path is not None:
        return sqlite_checks(path)
    if engine.dialect.name != "postgresql" or not database_answered:
        return {}

    def execute(sql: str) -> None:
        with engine.connect() as connection:
            connection.exec_driver_sql(sql)
            connection.rollback()

    return {"writable": postgres_writable_check(execute)}
