"""Bodies' PostgreSQL backend: a write's lock wait bounded by the request's deadline, and
the bound's own failures translated as Django translates any statement's."""

from types import SimpleNamespace
from typing import Any

import psycopg
import pytest
from django.db import OperationalError
from django.db.backends.postgresql.base import DatabaseWrapper as DjangoPostgres

from bodies.config.database import database_config
from bodies.core.storage_postgresql.base import DatabaseWrapper, lock_wait_bounded
from cupcake_testing.clock import ManualClock
from cupcake_testing.deadlines import under_deadline

pytestmark = pytest.mark.unit

LOCKING_READ = 'SELECT "id" FROM "assembler_bakeallowance" WHERE "client" = %s LIMIT 1 FOR UPDATE'


class RecordingCursor:
    """A DB-API cursor that records what it runs, or fails as a closed connection does."""

    def __init__(self, *, closed: bool = False) -> None:
        self.ran: list[str] = []
        self.closed = closed

    def execute(self, sql: str) -> None:
        if self.closed:
            raise psycopg.OperationalError("the connection is closed")
        self.ran.append(sql)


def wrapper() -> DatabaseWrapper:
    """Bodies' backend for a PostgreSQL URL, never connected."""
    return DatabaseWrapper(database_config(url="postgres://lab@db.example:5432/bodies"))


def run(sql: str, cursor: RecordingCursor) -> list[str]:
    """``sql`` through the wrapper on ``cursor``; what reached the cursor, in order."""
    # Django's CursorWrapper, as far as the wrapper reads it: the DB-API cursor it wraps.
    context: dict[str, Any] = {"connection": wrapper(), "cursor": SimpleNamespace(cursor=cursor)}

    def execute(sql: str, params: Any, many: bool, context: dict[str, Any]) -> None:
        cursor.execute(sql)

    lock_wait_bounded(execute, sql, None, False, context)
    return cursor.ran


def test_the_backend_is_djangos_own_with_the_bound_installed() -> None:
    connection = wrapper()

    assert isinstance(connection, DjangoPostgres)
    assert lock_wait_bounded in connection.execute_wrappers


def test_a_write_and_a_locking_read_wait_for_locks_only_within_the_deadline() -> None:
    clock = ManualClock()

    def insert() -> list[str]:
        return run('INSERT INTO "catalogue_body" VALUES (%s)', RecordingCursor())

    assert under_deadline(1.0, insert, clock=clock) == [
        "SET lock_timeout = 800",
        'INSERT INTO "catalogue_body" VALUES (%s)',
    ]
    assert run(LOCKING_READ, RecordingCursor())[0] == "SET lock_timeout = 5000"
    assert run('SELECT "slug" FROM "catalogue_body"', RecordingCursor()) == [
        'SELECT "slug" FROM "catalogue_body"'
    ]


def test_a_bound_the_server_cannot_take_fails_as_djangos_error() -> None:
    # Django's handlers (and the storage classification after them) take Django's errors;
    # psycopg's own, raised outside Django's translation, would be a 500.
    with pytest.raises(OperationalError) as raised:
        run(LOCKING_READ, RecordingCursor(closed=True))

    assert isinstance(raised.value.__cause__, psycopg.OperationalError)
