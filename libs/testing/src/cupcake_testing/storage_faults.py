"""Storage faults made for real, for the services' tests and the lab's (``tests/storage``).

- ``write_lock_held(path)``: another process holds the SQLite database's write lock
  (``BEGIN EXCLUSIVE``), as a backup tool or a hand-typed transaction would;
- ``file_read_only(path)``: the database file made read-only in a way SQLite honours for
  the user running the test: its mode for any user, and the immutable flag (``chattr +i``)
  for root, whom file modes do not stop;
- ``postgres_tables_locked(url)``: another session holds every table of a PostgreSQL
  database in EXCLUSIVE mode (reads go on, writes wait), as a bulk load or a hand-typed
  ``LOCK TABLE`` would;
- ``answers_during(fault, writes=, ready=, read=)`` and ``fault_answered``: what a
  service answers while a fault lasts (each framework's answers as ``Answer``s), and
  what it must have answered: writes 503 ``database-unavailable`` with ``Retry-After``
  within the deadline, ``/readyz`` degraded naming the failed check, reads 200;
  ``fault_round`` does both, and checks nothing was written and writes work afterwards.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from cupcake_testing.postgres import TABLES_SQL

# Holds the lock until its standard input closes, saying "locked" once it has it.
LOCK_HOLDER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
connection.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.read()
connection.execute("ROLLBACK")
"""


@contextmanager
def write_lock_held(path: str) -> Iterator[subprocess.Popen[str]]:
    """While the block runs, another process holds the write lock of the SQLite database
    at ``path`` (readers of a WAL database go on); it gives the lock back afterwards."""
    with subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, path],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    ) as holder:  # fmt: skip
        assert holder.stdin is not None and holder.stdout is not None
        try:
            assert holder.stdout.readline().strip() == "locked"
            yield holder
        finally:
            holder.stdin.close()  # the holder rolls back and ends
            holder.wait(timeout=30)


@contextmanager
def file_read_only(path: str) -> Iterator[None]:
    """While the block runs, the file at ``path`` cannot be written by this user: for root
    the immutable flag (root writes whatever a file's mode says), for others its mode. New
    connections to a SQLite database then open it read-only, as SQLite does by itself."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", path], check=True)
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", path], check=True)
        return
    mode = os.stat(path).st_mode
    os.chmod(path, 0o444)
    try:
        yield
    finally:
        os.chmod(path, mode)


# How long a PostgreSQL lock holder may sit idle before its server ends its session.
HOLDER_IDLE_LIMIT_MS = 15_000


@contextmanager
def postgres_tables_locked(url: str) -> Iterator[None]:
    """While the block runs, a session of its own holds every table of the PostgreSQL
    database at ``url`` in EXCLUSIVE mode: reads go on, writes wait for it."""
    with psycopg.connect(url) as holder:
        tables = [sql.Identifier(name) for (name,) in holder.execute(TABLES_SQL)]
        assert tables, f"no tables in {url}"
        # A write that waited with no bound of its own would wait for the holder, which
        # waits for the block: the server ends the holder's session after this long instead,
        # so that such a test fails rather than hangs.
        holder.execute(f"SET idle_in_transaction_session_timeout = {HOLDER_IDLE_LIMIT_MS}")
        lock = sql.SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(sql.SQL(", ").join(tables))
        holder.execute(lock)
        try:
            yield
        finally:
            holder.rollback()


def refusal_check(
    *, status: int, retry_after: str | None, problem: Mapping[str, Any], reason: str
) -> None:
    """Assert an answer is the 503 ``database-unavailable`` problem for ``reason``, with a
    ``Retry-After`` (``retry_after``) in seconds."""
    assert status == 503, problem
    assert retry_after is not None and retry_after.isdigit(), retry_after
    assert problem["type"] == "urn:cupcake-lab:problem:database-unavailable"
    assert problem["reason"] == reason, problem


@dataclass(frozen=True)
class Answer:
    """An HTTP answer as these checks see it, whichever framework's test client got it."""

    status: int
    retry_after: str | None
    body: Any  # its JSON


@dataclass(frozen=True)
class DuringFault:
    """What a service answered while a fault lasted: each write (with the seconds it took),
    its readiness and a read."""

    writes: list[tuple[Answer, float]]
    ready: Answer
    read: Answer


def answers_during(
    fault: AbstractContextManager[object],
    *,
    writes: Sequence[Callable[[], Answer]],
    ready: Callable[[], Answer],
    read: Callable[[], Answer],
) -> DuringFault:
    """Ask a service for ``writes``, its readiness and a read while ``fault`` lasts."""
    with fault:
        timed = []
        for write in writes:
            started = time.monotonic()
            answer = write()
            timed.append((answer, time.monotonic() - started))
        return DuringFault(timed, ready(), read())


def fault_answered(during: DuringFault, *, reason: str, check: str, within: float) -> None:
    """Assert every write was refused for ``reason`` within ``within`` seconds, readiness
    was degraded (200) naming ``check`` as failed, and the read was answered."""
    for answer, seconds in during.writes:
        refusal_check(
            status=answer.status, retry_after=answer.retry_after, problem=answer.body, reason=reason
        )
        assert seconds < within, f"refused after {seconds:.2f} s"
    assert during.ready.status == 200 and during.ready.body["status"] == "degraded"
    assert during.ready.body["checks"][check]["status"] == "fail", during.ready.body
    assert during.read.status == 200


def fault_round(
    fault: AbstractContextManager[object],
    *,
    writes: Sequence[Callable[[], Answer]],
    ready: Callable[[], Answer],
    read: Callable[[], Answer],
    stored: Callable[[], object],
    reason: str,
    within: float = 1.0,
) -> None:
    """A service's answers during ``fault`` checked (``fault_answered``, the ``writable``
    check failed), what ``stored`` reads unchanged by them, and the first write taken
    (200 or 201) once the fault has ended."""
    before = stored()
    assert read().status == 200  # a connection opened before the fault, and kept
    during = answers_during(fault, writes=writes, ready=ready, read=read)
    fault_answered(during, reason=reason, check="writable", within=within)
    assert stored() == before, "a refused write changed what is stored"
    assert writes[0]().status in (200, 201)


# The database's fault a service's tests make, by the reason its writes are refused for:
# each takes a SQLite file's path, or (``locked`` alone) a PostgreSQL URL.
SQLITE_FAULTS: dict[str, Callable[[str], AbstractContextManager[object]]] = {
    "locked": write_lock_held,
    "read-only": file_read_only,
}
POSTGRES_FAULTS: dict[str, Callable[[str], AbstractContextManager[object]]] = {
    "locked": postgres_tables_locked,
}
