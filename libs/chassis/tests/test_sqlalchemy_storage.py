"""SQLAlchemy engines that keep storage faults within the deadline and heal by themselves."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from cupcake_chassis import sqlalchemy_storage, storage
from cupcake_chassis.clock import SYSTEM_CLOCK
from cupcake_chassis.databases import sqlalchemy_url
from cupcake_chassis.sqlalchemy_storage import (
    engine_options,
    engine_storage_install,
    session_close,
)
from cupcake_chassis.storage import storage_failure
from cupcake_testing.deadlines import under_deadline
from cupcake_testing.postgres import postgres_server_url, throwaway_database
from cupcake_testing.storage_faults import postgres_tables_locked


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """An engine on a SQLite file with one table, as the services build theirs."""
    url = f"sqlite:///{tmp_path / 'service.sqlite3'}"
    built = create_engine(url, **engine_options(url))
    engine_storage_install(built)
    with built.begin() as connection:
        connection.execute(text("CREATE TABLE item (slug TEXT PRIMARY KEY)"))
    yield built
    built.dispose()


def database_file(engine: Engine) -> str:
    """The engine's SQLite file."""
    assert engine.url.database is not None
    return engine.url.database


def insert(engine: Engine, slug: str) -> None:
    """Write one row in a transaction of its own."""
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO item VALUES (:slug)"), {"slug": slug})


def file_read_only(monkeypatch: pytest.MonkeyPatch, read_only: bool) -> None:
    """Make the database file count as read-only (root may write any file whatever its mode)."""
    for module in (storage, sqlalchemy_storage):
        monkeypatch.setattr(module, "file_writable", lambda path: not read_only)


def test_every_connection_is_in_wal_mode_with_foreign_keys(engine: Engine) -> None:
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_a_server_gets_a_ping_before_use_and_a_bounded_connect() -> None:
    assert engine_options("sqlite:////srv/x.sqlite3") == {}
    assert engine_options("postgresql+psycopg://db/lab") == {
        "pool_pre_ping": True,
        "connect_args": {"connect_timeout": 2},
    }


def test_a_write_waits_for_a_lock_only_within_the_deadline(engine: Engine) -> None:
    holder = sqlite3.connect(database_file(engine), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")

    def write() -> tuple[float, BaseException]:
        started = time.monotonic()
        with pytest.raises(OperationalError) as caught:
            insert(engine, "a")
        return time.monotonic() - started, caught.value

    try:
        waited, error = under_deadline(0.3, write, clock=SYSTEM_CLOCK)
    finally:
        holder.execute("ROLLBACK")

    assert waited < 1.0
    failure = storage_failure(error)
    assert failure is not None and failure.reason == "locked"
    insert(engine, "b")  # the lock is gone: the same engine writes again


def test_a_write_to_a_read_only_file_is_refused_and_its_connection_dropped(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    file_read_only(monkeypatch, True)

    with pytest.raises(OperationalError) as caught:
        insert(engine, "a")

    failure = storage_failure(caught.value)
    assert failure is not None and failure.reason == "read-only"
    assert caught.value.connection_invalidated
    with engine.connect() as connection:  # reads go on
        assert connection.execute(text("SELECT count(*) FROM item")).scalar() == 0


def test_a_connection_opened_read_only_is_replaced_once_the_file_is_writable(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine.dispose()
    file_read_only(monkeypatch, True)
    with engine.connect() as connection:
        opened_read_only = connection.connection.dbapi_connection

    file_read_only(monkeypatch, False)
    with engine.connect() as connection:
        assert connection.connection.dbapi_connection is not opened_read_only
    insert(engine, "a")


@pytest.fixture
def postgres_engine() -> Iterator[Engine]:
    """An engine on a throwaway PostgreSQL database, as the services build theirs."""
    with throwaway_database(postgres_server_url(), prefix="cupcake_chassis_storage") as url:
        built = create_engine(sqlalchemy_url(url), **engine_options(sqlalchemy_url(url)))
        engine_storage_install(built)
        yield built
        built.dispose()


def test_a_session_whose_connection_the_server_killed_closes_quietly(
    postgres_engine: Engine,
) -> None:
    session = Session(postgres_engine)
    backend = session.execute(text("SELECT pg_backend_pid()")).scalar()
    with postgres_engine.connect() as other:  # a connection of this test's own
        other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})

    session_close(session)  # the request's answer stands

    with Session(postgres_engine) as fresh:  # and the pool hands out a live connection
        assert fresh.execute(text("SELECT 1")).scalar() == 1


def test_a_postgresql_write_waits_for_a_lock_only_within_the_deadline(
    postgres_engine: Engine,
) -> None:
    with postgres_engine.begin() as connection:
        connection.execute(text("CREATE TABLE item (slug TEXT PRIMARY KEY)"))
    url = postgres_engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with postgres_tables_locked(url):  # another session keeps writers out

        def write() -> tuple[float, storage.StorageFailure | None]:
            started = time.monotonic()
            with pytest.raises(OperationalError) as raised:
                insert(postgres_engine, "a")
            return time.monotonic() - started, storage_failure(raised.value)

        waited, failure = under_deadline(0.3, write, clock=SYSTEM_CLOCK)
        checks = sqlalchemy_storage.storage_checks(postgres_engine, database_answered=True)

    assert 0.15 <= waited < 1.0  # PostgreSQL's own default waits for as long as the lock lasts
    assert failure == storage.failure_of("locked")
    assert checks["writable"]["status"] == "fail"
    insert(postgres_engine, "a")  # the lock given back, the same engine writes
    assert sqlalchemy_storage.storage_checks(postgres_engine, database_answered=True) == {
        "writable": storage.check_passed("the write lock of every table was free")
    }
    assert sqlalchemy_storage.storage_checks(postgres_engine, database_answered=False) == {}
