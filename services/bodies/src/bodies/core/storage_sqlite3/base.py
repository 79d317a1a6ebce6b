"""Django's SQLite backend, keeping storage faults within the request's deadline.

``ENGINE: "bodies.core.storage_sqlite3"``, which ``bodies.config.database`` sets for every
SQLite URL: Django's own backend, and before each statement what
``cupcake_chassis.storage`` asks of a SQLite database layer: the statement's lock wait
bounded by the request's time left (a database locked by another process is a 503 within
the deadline, not after SQLite's fixed busy timeout), and a write refused while the
database file cannot be written. A connection opened while the file was read-only (SQLite
then opens it read-only for good) fails Django's health check once the file is writable
again, and is replaced.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.backends.sqlite3 import base

from cupcake_chassis.storage import file_writable, sqlite_path, sqlite_statement_prepare


class StorageCursor(base.SQLiteCursorWrapper):
    """Django's SQLite cursor, each statement prepared first."""

    path: str | None = None

    def execute(self, query: str, params: Any = None) -> Any:
        """Run ``query`` within the deadline; a write refused on a read-only file."""
        sqlite_statement_prepare(self.connection, path=self.path, sql=query)
        return super().execute(query, params)

    def executemany(self, query: str, param_list: Iterable[Any]) -> Any:
        """Run ``query`` for each of ``param_list``, prepared once."""
        sqlite_statement_prepare(self.connection, path=self.path, sql=query)
        return super().executemany(query, param_list)


class DatabaseWrapper(base.DatabaseWrapper):
    """Django's SQLite connection, its cursors ``StorageCursor``s."""

    opened_read_only = False

    @property
    def database_file(self) -> str | None:
        """The database's file; None in memory."""
        return sqlite_path(f"sqlite:///{self.settings_dict['NAME']}")

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        """Connect, noting whether the file could be written at that moment."""
        connection = super().get_new_connection(conn_params)
        path = self.database_file
        self.opened_read_only = path is not None and not file_writable(path)
        return connection

    def create_cursor(self, name: str | None = None) -> Any:
        """A ``StorageCursor`` on this connection."""
        cursor = self.connection.cursor(factory=StorageCursor)
        cursor.path = self.database_file
        return cursor

    def is_usable(self) -> bool:
        """False for a connection opened read-only once its file can be written again."""
        path = self.database_file
        return not (self.opened_read_only and path is not None and file_writable(path))
