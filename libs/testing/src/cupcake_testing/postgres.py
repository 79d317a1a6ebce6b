"""Throwaway PostgreSQL databases for a test session, on the server of CUPCAKE_TEST_POSTGRES_URL.

Each session creates its databases under names of its own and drops them when it ends,
failed tests or not. A migrated database is put back as migrated before each test by
copying its rows back from a ``pristine`` schema: far faster than migrating again, and the
data is committed, so other threads and processes of a test see it as the app does.

The three services' test suites (through this package's pytest plugin), the chassis' and
the lab's end-to-end tests share it here: no service's tests import another's.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from graphlib import TopologicalSorter
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

from cupcake_chassis.changes import change_signals_close

SERVER_VARIABLE = "CUPCAKE_TEST_POSTGRES_URL"
PRISTINE_SCHEMA = "pristine"

# Text sorts as under en_US (hyphens and case count last), as on many servers, unlike the
# character order of SQLite and of a "C" server: what a test sees sorted, the service sorted.
CREATE_WITH_COLLATION = (
    "CREATE DATABASE {} TEMPLATE template0 LOCALE_PROVIDER icu"
    " ICU_LOCALE 'en-US-u-ka-shifted' LOCALE 'C.UTF-8'"
)
TABLES_SQL = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
# Which table refers to which: rows go back parents first, and away children first.
FOREIGN_KEYS_SQL = """
    SELECT child.relname, parent.relname
    FROM pg_constraint AS c
    JOIN pg_class AS child ON child.oid = c.conrelid
    JOIN pg_class AS parent ON parent.oid = c.confrelid
    JOIN pg_namespace AS n ON n.oid = child.relnamespace
    WHERE c.contype = 'f' AND n.nspname = 'public'
"""


def postgres_server_url() -> str:
    """The server's URL from CUPCAKE_TEST_POSTGRES_URL, else a skip (a failure in CI)."""
    url = os.environ.get(SERVER_VARIABLE)
    if url:
        return url
    message = f"no PostgreSQL server: {SERVER_VARIABLE} is not set"
    if os.environ.get("CUPCAKE_REQUIRE_ALL_SUITES") == "1":
        pytest.fail(
            f"{message} (e.g. postgresql://postgres@127.0.0.1:5432/postgres); "
            "CUPCAKE_REQUIRE_ALL_SUITES=1 requires every suite to run"
        )
    pytest.skip(message)


def url_with_database(server_url: str, name: str) -> str:
    """The URL of database ``name`` on the server of ``server_url``."""
    parts = urlsplit(server_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def unique_name(prefix: str) -> str:
    """A database name no other test session uses."""
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


@contextmanager
def throwaway_database(server_url: str, *, prefix: str) -> Iterator[str]:
    """A new empty database, named ``<prefix>_<random>``; yields its URL, then drops it.

    A connection left open to it (an engine not disposed) is an error of the suite: the
    database is then dropped by force, and the leak reported.
    """
    name = unique_name(prefix)
    with psycopg.connect(server_url, autocommit=True) as admin:
        try:
            admin.execute(sql.SQL(CREATE_WITH_COLLATION).format(sql.Identifier(name)))
        except psycopg.DatabaseError:
            # A server without ICU, or without the C.UTF-8 locale: its default will do.
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        # A test database need not survive a crash of the server: its commits do not wait
        # for the disk, which makes them several times faster.
        admin.execute(
            sql.SQL("ALTER DATABASE {} SET synchronous_commit = off").format(sql.Identifier(name))
        )
    try:
        yield url_with_database(server_url, name)
    finally:
        # The catalogue change listeners hold a connection each, by design.
        change_signals_close()
        with psycopg.connect(server_url, autocommit=True) as admin:
            try:
                admin.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))
            except psycopg.errors.ObjectInUse:
                force = sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name))
                admin.execute(force)
                raise AssertionError(f"connections to {name} were left open") from None


def schema_empty(url: str) -> None:
    """Drop every table of the database at ``url``: a database no migration has touched."""
    with psycopg.connect(url, autocommit=True) as connection:
        found = connection.execute(
            "SELECT count(*) FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public'"
        ).fetchone()
        if found is not None and found[0]:
            connection.execute("DROP SCHEMA public CASCADE")
            connection.execute("CREATE SCHEMA public")


class PristineCopy:
    """The rows of a migrated database, kept in its ``pristine`` schema to be put back.

    It holds one connection for the session's restores (connecting costs more than
    restoring): ``close()`` it before the database is dropped.
    """

    def __init__(self, url: str, tables: tuple[str, ...]) -> None:
        self.url = url
        self.tables = tables  # parents before the tables that refer to them
        self._connection: psycopg.Connection[tuple[object, ...]] | None = None

    @classmethod
    def keep(cls, url: str) -> PristineCopy:
        """Copy every table of the public schema of ``url`` into the pristine schema."""
        with psycopg.connect(url, autocommit=True) as connection:
            names = [row[0] for row in connection.execute(TABLES_SQL)]
            order = TopologicalSorter({name: set[str]() for name in names})
            for child, parent in connection.execute(FOREIGN_KEYS_SQL):
                if child != parent:
                    order.add(child, parent)
            tables = tuple(order.static_order())
            with connection.transaction():
                connection.execute(
                    sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(PRISTINE_SCHEMA))
                )
                for table in tables:
                    connection.execute(
                        sql.SQL("CREATE TABLE {} AS TABLE {}").format(
                            sql.Identifier(PRISTINE_SCHEMA, table), sql.Identifier("public", table)
                        )
                    )
        return cls(url=url, tables=tables)

    def restore(self, *, migrate: Callable[[str], None] | None = None) -> None:
        """Put every table's rows back as they were kept, in one transaction.

        A table that a test dropped (by migrating down) is first made again by ``migrate``.
        """
        try:
            self._rows_copy_back()
        except psycopg.errors.UndefinedTable:
            if migrate is None:
                raise
            migrate(self.url)
            self._rows_copy_back()

    def close(self) -> None:
        """Close the connection of the restores."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _rows_copy_back(self) -> None:
        if self._connection is None or self._connection.closed:
            self._connection = psycopg.connect(self.url, autocommit=True)
        deletes = [
            sql.SQL("DELETE FROM {}").format(sql.Identifier("public", table))
            for table in reversed(self.tables)
        ]
        inserts = [
            sql.SQL("INSERT INTO {} OVERRIDING SYSTEM VALUE TABLE {}").format(
                sql.Identifier("public", table), sql.Identifier(PRISTINE_SCHEMA, table)
            )
            for table in self.tables
        ]
        # One round trip: a statement string without parameters may hold several.
        with self._connection.transaction():
            self._connection.execute(sql.SQL("; ").join([*deletes, *inserts]))
