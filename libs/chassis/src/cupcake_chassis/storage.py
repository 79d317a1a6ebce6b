"""Storage faults: what a database error means, and how a service answers it.

One home for the three services, whatever their framework: a driver's error (``sqlite3``,
``psycopg``), as the framework wraps it (Django's ``__cause__``, SQLAlchemy's ``orig``), is
classified here into a ``StorageFailure`` with a reason (``locked``, ``disk-full``,
``read-only``, ``io-error``, ``unreachable``, ``connection-lost``, ``starting-up``,
``unavailable``), the words for it, the seconds a client should wait before trying again,
and whether the connection that raised it is worth keeping. Each service's error handler
answers any such failure the same way: 503 ``database-unavailable`` with ``Retry-After``.
The database refusing the data itself (integrity, data errors) is no storage failure.

The rest keeps a database fault within the request's deadline and in sight:

- ``lock_wait_seconds``: how long a statement may wait for a lock (SQLite's busy timeout),
  the request's time left, less what its answer needs;
- ``sqlite_statement_prepare``: before each SQLite statement, that wait set on the
  connection, and a write refused (``WriteRefused``) when the database file cannot be
  written: SQLite itself only notices on a connection opened afterwards;
- ``postgres_lock_wait_sql``: before each PostgreSQL write or read that locks rows, the
  same wait (its ``lock_timeout``): a table or row locked by another session is a 503
  within the deadline, not a request that waits for as long as the lock is held;
- ``sqlite_checks``: readiness checks of a SQLite database's writes (``writable``) and of
  the room left on its disk (``disk``); ``postgres_writable_check`` the first on PostgreSQL;
  ``readiness`` tells ``ok``, ``degraded`` (reads are
  served, writes are refused: still 200, so that a load balancer keeps sending reads) or
  ``fail`` (503).
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from cupcake_chassis.deadline import current_deadline

log = logging.getLogger("cupcake.storage")

PROBLEM_KIND = "database-unavailable"
# How long a statement may wait for a lock outside any request (migrations, commands).
DEFAULT_LOCK_WAIT = 5.0
# Kept back from the time left for the answer itself (at least this, and a fifth of it),
# so that a refusal reaches a client measuring the deadline before it passes.
ANSWER_RESERVE = 0.1
# The longest a readiness probe waits for the write lock: a probe must answer quickly.
PROBE_LOCK_WAIT = 0.2
# Below this much free room on the database's disk, readiness says so.
MIN_FREE_BYTES = 1 << 20
# SQL that writes (or takes the write lock): refused before it reaches a read-only file.
WRITE_STATEMENTS = ("INSERT", "UPDATE", "DELETE", "REPLACE", "BEGIN IMMEDIATE", "BEGIN EXCLUSIVE")
# A read's row-locking clause on PostgreSQL, looked for in the last characters of a statement
# (it follows LIMIT and OFFSET, and may name tables and end in NOWAIT or SKIP LOCKED).
LOCKING_CLAUSE = re.compile(r"\bFOR\s+(NO\s+KEY\s+UPDATE|UPDATE|KEY\s+SHARE|SHARE)\b", re.I)
LOCKING_CLAUSE_TAIL = 120

Reason = Literal[
    "locked",
    "disk-full",
    "read-only",
    "io-error",
    "unreachable",
    "connection-lost",
    "starting-up",
    "unavailable",
]


@dataclass(frozen=True)
class StorageFailure:
    """Why the database could not do what was asked, in a word and in words.

    ``retry_after``: seconds a client should wait before trying again; ``reconnect``: the
    connection that failed is no good any more (closed, opened read-only): drop it.
    """

    reason: Reason
    words: str
    retry_after: int
    reconnect: bool

    def problem(self) -> dict[str, Any]:
        """The 503 problem answering this failure: the arguments of ``problem_document``,
        which each service's ``problem_response`` takes too."""
        return {
            "status": 503,
            "kind": PROBLEM_KIND,
            "detail": f"{self.words}; try again in {self.retry_after} s",
            "reason": self.reason,
        }

    def headers(self) -> dict[str, str]:
        """The headers of that answer."""
        return {"Retry-After": str(self.retry_after)}


# reason -> (words, Retry-After seconds, reconnect)
FAILURES: dict[Reason, tuple[str, int, bool]] = {
    "locked": ("the database is locked by another writer", 1, False),
    "disk-full": ("the disk holding the database is full", 5, False),
    "read-only": ("the database cannot be written: it is read-only", 5, True),
    "io-error": ("the database file could not be read or written (I/O error)", 5, True),
    "unreachable": ("the database server cannot be reached", 2, True),
    "connection-lost": ("the connection to the database server was lost", 1, True),
    "starting-up": ("the database server is starting up or shutting down", 2, True),
    "unavailable": ("the database cannot answer", 5, False),
}


def failure_of(reason: Reason) -> StorageFailure:
    """The failure of ``reason``, with its words, wait and reconnect."""
    words, retry_after, reconnect = FAILURES[reason]
    return StorageFailure(reason, words, retry_after, reconnect)


class WriteRefused(sqlite3.OperationalError):
    """A write stopped before it reached SQLite: its database file cannot be written.

    A ``sqlite3.OperationalError``, so that Django and SQLAlchemy wrap it, and roll back,
    as they do SQLite's own errors.
    """

    def __init__(self, path: str) -> None:
        super().__init__(f"attempt to write a read-only database file: {path}")
        self.path = path


# SQLite's primary result codes (https://sqlite.org/rescode.html) -> reason.
SQLITE_REASONS: dict[int, Reason] = {
    3: "read-only",  # SQLITE_PERM
    5: "locked",  # SQLITE_BUSY
    6: "locked",  # SQLITE_LOCKED
    8: "read-only",  # SQLITE_READONLY
    10: "io-error",  # SQLITE_IOERR
    11: "io-error",  # SQLITE_CORRUPT
    13: "disk-full",  # SQLITE_FULL
    14: "io-error",  # SQLITE_CANTOPEN
    26: "io-error",  # SQLITE_NOTADB
}
# For an error raised without its code: the words SQLite says it with.
SQLITE_WORDS: tuple[tuple[str, Reason], ...] = (
    ("locked", "locked"),
    ("disk is full", "disk-full"),
    ("readonly", "read-only"),
    ("read-only", "read-only"),
    ("disk i/o error", "io-error"),
    ("unable to open", "io-error"),
)
# PostgreSQL's SQLSTATEs (https://www.postgresql.org/docs/current/errcodes-appendix.html),
# whole or by class (first two characters) -> reason.
POSTGRES_REASONS: dict[str, Reason] = {
    "57P01": "connection-lost",  # admin_shutdown: pg_terminate_backend, a fast shutdown
    "57P02": "connection-lost",  # crash_shutdown
    "57P03": "starting-up",  # cannot_connect_now
    "08": "connection-lost",  # connection exceptions
    "53100": "disk-full",  # disk_full
    "25006": "read-only",  # read_only_sql_transaction: a standby, a read-only default
    "55P03": "locked",  # lock_not_available
    "57014": "locked",  # query_canceled: a statement or lock timeout
    "40001": "locked",  # serialization_failure
    "40P01": "locked",  # deadlock_detected
}
MAX_WRAPPING = 5


def storage_failure(exc: BaseException) -> StorageFailure | None:
    """What a database error means, or None when it is none, or the database refusing the
    data itself (integrity, data errors: the caller's own mistake, or a conflict)."""
    driver = _driver_error(exc)
    if driver is None or _is_data_refusal(driver):
        return None
    if isinstance(driver, WriteRefused):
        return failure_of("read-only")
    if isinstance(driver, sqlite3.Error):
        return failure_of(_sqlite_reason(driver))
    return failure_of(_postgres_reason(driver))


def storage_failure_noted(exc: BaseException, *, method: str, path: str) -> StorageFailure | None:
    """``storage_failure(exc)``, and when it is one, a warning in the log saying which
    request it failed and the driver's own words."""
    failure = storage_failure(exc)
    if failure is not None:
        cause = _driver_error(exc)
        log.warning("database unavailable on %s %s: %s (%s)", method, path, failure.reason, cause)
    return failure


def _driver_errors() -> tuple[type[BaseException], ...]:
    # psycopg's only when it is loaded: a service on SQLite never imports it.
    psycopg = sys.modules.get("psycopg")
    return (sqlite3.Error, psycopg.Error) if psycopg is not None else (sqlite3.Error,)


def _driver_error(exc: BaseException) -> BaseException | None:
    """The driver's own error inside what the framework raised, if it is one."""
    kinds = _driver_errors()
    current: BaseException | None = exc
    for _ in range(MAX_WRAPPING):
        if current is None:
            return None
        if isinstance(current, kinds):
            return current
        current = getattr(current, "orig", None) or current.__cause__
    return None


def _is_data_refusal(error: BaseException) -> bool:
    names = {kind.__name__ for kind in type(error).__mro__}
    return bool(names & {"IntegrityError", "DataError"})


def _sqlite_reason(error: sqlite3.Error) -> Reason:
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF in SQLITE_REASONS:
        return SQLITE_REASONS[code & 0xFF]
    message = str(error).lower()
    for words, reason in SQLITE_WORDS:
        if words in message:
            return reason
    return "unavailable"


def _postgres_reason(error: BaseException) -> Reason:
    sqlstate = getattr(error, "sqlstate", None)
    if sqlstate is None:
        # Raised by the client library, not the server: no connection, or a lost one.
        names = {kind.__name__ for kind in type(error).__mro__}
        if names & {"OperationalError", "InterfaceError"}:
            if str(error).startswith("connection failed"):
                return "unreachable"
            return "connection-lost"
        return "unavailable"
    return POSTGRES_REASONS.get(sqlstate) or POSTGRES_REASONS.get(sqlstate[:2], "unavailable")


def lock_wait_seconds(*, longest: float = DEFAULT_LOCK_WAIT) -> float:
    """How long a statement may wait for a database lock now: the current request's time
    left, less what its answer needs; ``longest`` outside a request, and at most."""
    deadline = current_deadline()
    if deadline is None:
        return longest
    remaining = deadline.remaining()
    return max(0.0, min(longest, remaining - max(ANSWER_RESERVE, remaining * 0.2)))


def is_write(sql: str) -> bool:
    """Whether ``sql`` writes, or takes the write lock."""
    return sql.lstrip()[:16].upper().startswith(WRITE_STATEMENTS)


def sqlite_statement_prepare(connection: sqlite3.Connection, *, path: str | None, sql: str) -> None:
    """Before ``sql`` runs on ``connection`` (a database file at ``path``): its lock wait
    bounded by the request's deadline, and a write refused (``WriteRefused``) when the file
    cannot be written (a connection opened before the file was made read-only would write
    on)."""
    connection.execute(f"PRAGMA busy_timeout = {int(lock_wait_seconds() * 1000)}")
    if path is not None and is_write(sql) and not file_writable(path):
        raise WriteRefused(path)


def locks_rows(sql: str) -> bool:
    """Whether ``sql`` is a read that locks the rows it reads (``FOR UPDATE``, ``FOR
    SHARE``...), a clause that ends a statement."""
    tail = sql[-LOCKING_CLAUSE_TAIL:]
    # Most statements are plain reads: a substring test spares them the expression.
    return "FOR" in tail.upper() and LOCKING_CLAUSE.search(tail) is not None


def postgres_lock_wait_sql(sql: str) -> str | None:
    """The statement to run before ``sql`` on PostgreSQL: for a write or a read that locks
    rows, its ``lock_timeout`` set to ``lock_wait_seconds`` (at least a millisecond: 0
    would mean no bound at all); None for any other read, which no writer holds up."""
    if not (is_write(sql) or locks_rows(sql)):
        return None
    return f"SET lock_timeout = {max(1, int(lock_wait_seconds() * 1000))}"


def file_writable(path: str) -> bool:
    """Whether this process may write the file at ``path`` (its mode, an immutable flag, a
    read-only mount); a file not there yet counts as writable."""
    return os.access(path, os.W_OK) or not os.path.exists(path)


def sqlite_path(database_url: str) -> str | None:
    """The file of a SQLite URL (``sqlite:///path``, any driver suffix); None for any other
    database, or SQLite in memory."""
    scheme, separator, rest = database_url.partition("://")
    if not separator or scheme.split("+")[0] != "sqlite":
        return None
    path = rest.removeprefix("/").split("?")[0]
    return path if path not in ("", ":memory:") else None


Check = dict[str, str]
# Readiness checks without which a service cannot serve at all: failing, it is not ready.
ESSENTIAL_CHECKS = ("database", "migrations")


def check_passed(detail: str) -> Check:
    """A readiness check that passed."""
    return {"status": "ok", "detail": detail}


def check_failed(detail: str) -> Check:
    """A readiness check that failed."""
    return {"status": "fail", "detail": detail}


def sqlite_checks(path: str) -> dict[str, Check]:
    """Readiness checks of the SQLite database at ``path``: ``writable`` (its file may be
    written and its write lock taken, waiting at most ``PROBE_LOCK_WAIT``) and ``disk``
    (at least ``MIN_FREE_BYTES`` free where it lives)."""
    return {"writable": _writable_check(path), "disk": _disk_check(path)}


def _writable_check(path: str) -> Check:
    if not file_writable(path):
        return check_failed(f"the database file is read-only: {path}")
    wait = min(PROBE_LOCK_WAIT, lock_wait_seconds())
    try:
        # mode=rw: a database file that is gone is a failure, not a new empty database.
        uri = f"{Path(path).resolve().as_uri()}?mode=rw"
        connection = sqlite3.connect(uri, uri=True, timeout=wait, isolation_level=None)
    except sqlite3.Error as exc:
        return check_failed(f"{failure_of(_sqlite_reason(exc)).words}: {exc}")
    try:
        # Takes the write lock and gives it back: no change, nothing written.
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("ROLLBACK")
    except sqlite3.Error as exc:
        words = failure_of(_sqlite_reason(exc)).words
        return check_failed(f"{words} (waited {wait:.1f} s for the write lock): {exc}")
    finally:
        connection.close()
    return check_passed("the write lock was free")


# Takes the lock every write takes (ROW EXCLUSIVE) on each table of the current schema, and
# gives it back at the end of the transaction: no change, nothing written, no reader held up.
# A server taking no writes (a standby, a read-only default) fails it, and so does another
# session holding a table in a mode that keeps writers out, for longer than a probe waits.
POSTGRES_WRITABLE_PROBE = f"""DO $probe$
DECLARE
    tables text;
BEGIN
    IF current_setting('transaction_read_only') = 'on' THEN
        RAISE EXCEPTION 'the database takes no writes (transaction_read_only is on)'
            USING ERRCODE = 'read_only_sql_transaction';
    END IF;
    PERFORM set_config('lock_timeout', '{int(PROBE_LOCK_WAIT * 1000)}', true);
    SELECT string_agg(quote_ident(schemaname) || '.' || quote_ident(tablename), ', ')
        INTO tables FROM pg_tables WHERE schemaname = current_schema();
    IF tables IS NOT NULL THEN
        EXECUTE 'LOCK TABLE ' || tables || ' IN ROW EXCLUSIVE MODE';
    END IF;
END
$probe$"""


def postgres_writable_check(execute: Callable[[str], object]) -> Check:
    """The ``writable`` readiness check of a PostgreSQL database: ``execute`` (which runs a
    statement in a transaction of its own) runs ``POSTGRES_WRITABLE_PROBE``."""
    try:
        execute(POSTGRES_WRITABLE_PROBE)
    except Exception as exc:
        failure = storage_failure(exc)
        if failure is None:
            raise
        words = failure.words
        if failure.reason == "locked":
            words += f" (waited {PROBE_LOCK_WAIT:.1f} s for the write locks)"
        return check_failed(f"{words}: {_driver_error(exc)}".splitlines()[0])
    return check_passed("the write lock of every table was free")


def _disk_check(path: str) -> Check:
    folder = Path(path).parent
    try:
        stats = os.statvfs(folder)
    except OSError as exc:
        return check_failed(f"cannot tell the free room under {folder}: {exc}")
    free = stats.f_bavail * stats.f_frsize
    words = f"{free // 1024} KiB free under {folder}"
    if free < MIN_FREE_BYTES:
        return check_failed(f"{words}, less than {MIN_FREE_BYTES // 1024} KiB: writes will fail")
    return check_passed(words)


# How long a probe or client is asked to wait before asking a service that is not ready again.
NOT_READY_RETRY_AFTER = 5


def readiness_headers(code: int) -> dict[str, str]:
    """The headers a ``/readyz`` answer of HTTP ``code`` carries besides its body:
    ``Retry-After`` when the service cannot serve (503)."""
    return {"Retry-After": str(NOT_READY_RETRY_AFTER)} if code == 503 else {}


def readiness(checks: Mapping[str, Mapping[str, Any]]) -> tuple[str, int]:
    """The overall readiness of ``checks`` and its HTTP status: ``ok`` (200); ``degraded``
    (200) when only checks reads do without failed, e.g. the database refuses writes;
    ``fail`` (503) when an essential check failed."""
    failed = [name for name, check in checks.items() if check["status"] != "ok"]
    if any(name in ESSENTIAL_CHECKS for name in failed):
        return "fail", 503
    return ("degraded", 200) if failed else ("ok", 200)
