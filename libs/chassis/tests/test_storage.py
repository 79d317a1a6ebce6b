"""Storage faults: database errors classified, lock waits bounded, readiness told."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import errors as pg_errors

from cupcake_chassis import storage
from cupcake_chassis.clock import SYSTEM_CLOCK
from cupcake_chassis.problems import problem_document
from cupcake_chassis.storage import (
    WriteRefused,
    lock_wait_seconds,
    readiness,
    sqlite_checks,
    sqlite_path,
    sqlite_statement_prepare,
    storage_failure,
)
from cupcake_testing.clock import ManualClock
from cupcake_testing.deadlines import under_deadline


@pytest.fixture
def database(tmp_path: Path) -> Iterator[str]:
    """A SQLite database file in WAL mode with one table."""
    path = str(tmp_path / "service.sqlite3")
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE item (slug TEXT PRIMARY KEY)")
    connection.close()
    yield path


@pytest.fixture
def locked(database: str) -> Iterator[sqlite3.Connection]:
    """Another connection holding the database's write lock (``BEGIN EXCLUSIVE``)."""
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    yield holder
    holder.execute("ROLLBACK")
    holder.close()


def error_of(action: Callable[[], object]) -> BaseException:
    """The exception ``action`` raises (it must raise one)."""
    with pytest.raises(Exception) as caught:  # noqa: PT011 - any error: the test classifies it
        action()
    return caught.value


def test_a_write_to_a_locked_database_is_locked(database: str, locked: object) -> None:
    writer = sqlite3.connect(database, timeout=0, isolation_level=None)

    failure = storage_failure(error_of(lambda: writer.execute("INSERT INTO item VALUES ('a')")))

    assert failure is not None
    assert (failure.reason, failure.retry_after, failure.reconnect) == ("locked", 1, False)


def test_a_full_database_is_disk_full(database: str) -> None:
    writer = sqlite3.connect(database, isolation_level=None)
    writer.execute("PRAGMA max_page_count = 2")  # what a full disk leaves: no page to add
    many = [(f"slug-{number}-{'x' * 200}",) for number in range(100)]

    failure = storage_failure(
        error_of(lambda: writer.executemany("INSERT INTO item VALUES (?)", many))
    )

    assert failure is not None and failure.reason == "disk-full"


def test_a_write_on_a_read_only_connection_is_read_only(database: str) -> None:
    reader = sqlite3.connect(f"{Path(database).as_uri()}?mode=ro", uri=True)

    failure = storage_failure(error_of(lambda: reader.execute("INSERT INTO item VALUES ('a')")))

    assert failure is not None
    assert (failure.reason, failure.reconnect) == ("read-only", True)


def test_the_database_refusing_the_data_is_no_storage_failure(database: str) -> None:
    writer = sqlite3.connect(database, isolation_level=None)
    writer.execute("INSERT INTO item VALUES ('a')")

    assert (
        storage_failure(error_of(lambda: writer.execute("INSERT INTO item VALUES ('a')"))) is None
    )
    assert storage_failure(pg_errors.UniqueViolation("duplicate key")) is None
    assert storage_failure(ValueError("not a database's")) is None


class FrameworkError(Exception):
    """What a framework raises for a driver's error: Django's (``__cause__``) or
    SQLAlchemy's (``orig``)."""

    def __init__(self, orig: BaseException | None = None) -> None:
        super().__init__("wrapped")
        self.orig = orig


def test_the_drivers_error_is_found_inside_the_frameworks() -> None:
    locked = sqlite3.OperationalError("database is locked")
    django_style = FrameworkError()
    django_style.__cause__ = locked

    assert storage_failure(FrameworkError(orig=locked)) == storage.failure_of("locked")
    assert storage_failure(django_style) == storage.failure_of("locked")


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (pg_errors.AdminShutdown("terminating connection due to administrator command"),
         "connection-lost"),
        (pg_errors.CannotConnectNow("the database system is starting up"), "starting-up"),
        (pg_errors.ConnectionFailure("connection failure"), "connection-lost"),
        (pg_errors.DiskFull("could not extend file"), "disk-full"),
        (pg_errors.ReadOnlySqlTransaction("read-only transaction"), "read-only"),
        (pg_errors.LockNotAvailable("could not obtain lock"), "locked"),
        (pg_errors.UndefinedTable('relation "item" does not exist'), "unavailable"),
        (psycopg.OperationalError("connection failed: Connection refused"), "unreachable"),
        (psycopg.OperationalError("consuming input failed: server closed the connection"),
         "connection-lost"),
    ],
)  # fmt: skip
def test_postgresql_errors_by_their_sqlstate(error: BaseException, reason: str) -> None:
    failure = storage_failure(error)

    assert failure is not None and failure.reason == reason


def test_the_problem_says_why_and_when_to_try_again() -> None:
    failure = storage.failure_of("disk-full")

    assert problem_document(**failure.problem()) == {
        "type": "urn:cupcake-lab:problem:database-unavailable",
        "title": "Database unavailable",
        "status": 503,
        "detail": "the disk holding the database is full; try again in 5 s",
        "reason": "disk-full",
    }
    assert failure.headers() == {"Retry-After": "5"}


def test_a_lock_is_waited_for_at_most_the_requests_time_left_less_a_reserve() -> None:
    clock = ManualClock()
    assert under_deadline(1.0, lock_wait_seconds, clock=clock) == pytest.approx(0.8)
    assert under_deadline(0.2, lock_wait_seconds, clock=clock) == pytest.approx(0.1)
    assert under_deadline(0.05, lock_wait_seconds, clock=clock) == 0.0
    assert under_deadline(60.0, lock_wait_seconds, clock=clock) == storage.DEFAULT_LOCK_WAIT


def test_outside_a_request_a_lock_is_waited_for_as_long_as_sqlite_would() -> None:
    assert lock_wait_seconds() == storage.DEFAULT_LOCK_WAIT


def test_a_statement_waits_for_a_lock_only_within_the_deadline(
    database: str, locked: object
) -> None:
    writer = sqlite3.connect(database, isolation_level=None)

    def write() -> float:
        started = time.monotonic()
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            sqlite_statement_prepare(writer, path=database, sql="BEGIN IMMEDIATE")
            writer.execute("BEGIN IMMEDIATE")
        return time.monotonic() - started

    waited = under_deadline(0.3, write, clock=SYSTEM_CLOCK)

    assert 0.15 <= waited < 1.0  # SQLite's own 5 s would be far past the request's 0.3 s


def test_a_postgresql_write_waits_for_locks_only_within_the_deadline() -> None:
    clock = ManualClock()

    def bound(sql: str) -> Callable[[], str | None]:
        return lambda: storage.postgres_lock_wait_sql(sql)

    assert under_deadline(1.0, bound("INSERT INTO item VALUES (1)"), clock=clock) == (
        "SET lock_timeout = 800"
    )
    # A request with no time left waits a millisecond: a lock_timeout of 0 is no bound.
    assert under_deadline(0.05, bound("UPDATE item SET slug = 'a'"), clock=clock) == (
        "SET lock_timeout = 1"
    )
    assert storage.postgres_lock_wait_sql("DELETE FROM item") == "SET lock_timeout = 5000"


def test_a_postgresql_read_is_bounded_only_when_it_locks_rows() -> None:
    locking = [
        'SELECT "a"."id" FROM "a" WHERE "a"."client" = %s LIMIT 1 FOR UPDATE',
        "SELECT id FROM a FOR NO KEY UPDATE OF a SKIP LOCKED",
        "select id from a for share nowait",
        "SELECT id FROM a FOR KEY SHARE",
    ]
    plain = ['SELECT "for", "share" FROM "update"', "SELECT 1", "SELECT format FROM uniform"]
    assert all(storage.postgres_lock_wait_sql(sql) is not None for sql in locking)
    assert all(storage.postgres_lock_wait_sql(sql) is None for sql in plain)


def test_the_postgresql_writable_check_says_why_writes_would_wait_or_fail() -> None:
    def held(sql: str) -> None:
        assert "LOCK TABLE" in sql and "transaction_read_only" in sql
        raise pg_errors.LockNotAvailable("canceling statement due to lock timeout")

    def read_only(sql: str) -> None:
        raise pg_errors.ReadOnlySqlTransaction("the database takes no writes")

    def broken(sql: str) -> None:
        raise ValueError("not a database error")

    assert storage.postgres_writable_check(lambda sql: None)["status"] == "ok"
    locked = storage.postgres_writable_check(held)
    assert locked == storage.check_failed(
        "the database is locked by another writer (waited 0.2 s for the write locks):"
        " canceling statement due to lock timeout"
    )
    assert storage.postgres_writable_check(read_only) == storage.check_failed(
        "the database cannot be written: it is read-only: the database takes no writes"
    )
    with pytest.raises(ValueError):  # a defect, not a storage failure: not hidden
        storage.postgres_writable_check(broken)


def test_a_write_to_a_file_that_cannot_be_written_is_refused_before_sqlite(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer = sqlite3.connect(database, isolation_level=None)  # opened while writable
    monkeypatch.setattr(storage, "file_writable", lambda path: False)

    for sql in ("INSERT INTO item VALUES ('a')", " update item set slug = 'b'", "BEGIN IMMEDIATE"):
        with pytest.raises(WriteRefused):
            sqlite_statement_prepare(writer, path=database, sql=sql)
    sqlite_statement_prepare(writer, path=database, sql="SELECT slug FROM item")
    assert storage_failure(WriteRefused(database)) == storage.failure_of("read-only")


def test_a_missing_file_counts_as_writable(tmp_path: Path, database: str) -> None:
    assert storage.file_writable(str(tmp_path / "not-yet.sqlite3"))
    assert storage.file_writable(database)


def test_sqlite_urls_name_their_file() -> None:
    assert sqlite_path("sqlite:////srv/lab/bodies.sqlite3") == "/srv/lab/bodies.sqlite3"
    assert sqlite_path("sqlite+pysqlite:////srv/x.db?timeout=5") == "/srv/x.db"
    assert sqlite_path("sqlite://") is None
    assert sqlite_path("sqlite:///:memory:") is None
    assert sqlite_path("postgresql://db/lab") is None


def test_a_healthy_database_passes_both_checks(database: str) -> None:
    checks = sqlite_checks(database)

    assert {name: check["status"] for name, check in checks.items()} == {
        "writable": "ok",
        "disk": "ok",
    }
    assert readiness({"database": {"status": "ok"}, **checks}) == ("ok", 200)


def test_a_locked_database_is_not_writable(database: str, locked: object) -> None:
    started = time.monotonic()
    check = sqlite_checks(database)["writable"]

    assert time.monotonic() - started < 1.0
    assert check["status"] == "fail"
    assert "locked" in check["detail"]


def test_a_read_only_file_is_not_writable(database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage, "file_writable", lambda path: False)

    check = sqlite_checks(database)["writable"]

    assert check == {"status": "fail", "detail": f"the database file is read-only: {database}"}


def test_a_vanished_file_is_not_writable_and_is_not_made_again(database: str) -> None:
    Path(database).unlink()

    assert sqlite_checks(database)["writable"]["status"] == "fail"
    assert not Path(database).exists()


def test_too_little_room_on_the_disk_fails_its_check(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage, "MIN_FREE_BYTES", 1 << 62)

    check = sqlite_checks(database)["disk"]

    assert check["status"] == "fail"
    assert "writes will fail" in check["detail"]


@pytest.mark.parametrize(
    ("failed", "verdict"),
    [
        ((), ("ok", 200)),
        (("writable",), ("degraded", 200)),
        (("disk", "writable"), ("degraded", 200)),
        (("database",), ("fail", 503)),
        (("migrations", "disk"), ("fail", 503)),
    ],
)
def test_readiness_fails_only_when_the_service_cannot_serve_at_all(
    failed: tuple[str, ...], verdict: tuple[str, int]
) -> None:
    names = ("database", "migrations", "writable", "disk")
    checks = {name: {"status": "fail" if name in failed else "ok"} for name in names}

    assert readiness(checks) == verdict
