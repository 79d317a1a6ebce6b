"""Catalogue changes told to every reader without a database round trip.

Each service keeps its catalogue rendered in memory (``cupcake_chassis.rendered``) and must
render it anew after every write, in every worker process, on every host that shares the
database. A *change signal* gives readers a token that changes with every committed write:

- **SQLite** (one host): a 16-byte token in a small file beside the database
  (``<database>-changes``), mapped into memory by every process; a write puts a new random
  token there right after it commits. A read costs a memory read (well under a
  microsecond), and the very next read after a write, in any process, sees the new token.
- **PostgreSQL** (any number of hosts): each process listens on a channel; a write sends
  ``NOTIFY`` in its own transaction, which PostgreSQL delivers when, and only if, it
  commits; the listener then gives the process a new token. A read costs a memory read.
  The writing process sees its write at once, others within the notification's delivery
  (milliseconds on one network). While a process is not listening (just started, its
  connection lost) it has no token, and every read renders from the database: slower,
  never stale.
- **SQLite in memory** (one process sees it): a token kept in the process.

The reader must take the token *before* it reads the data it renders, so that what it keeps
under a token is at least as new as the token; tokens are random, so no token ever comes
back after a change, whichever process or database made it.
"""

from __future__ import annotations

import logging
import mmap
import os
import secrets
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

log = logging.getLogger("cupcake.changes")

TOKEN_SIZE = 16
SQLITE_MEMORY_NAMES = ("", ":memory:")


def token_new() -> bytes:
    """A new change token: random, so that no two changes ever share one."""
    return secrets.token_bytes(TOKEN_SIZE)


class ChangeSignal(Protocol):
    """Tells readers whether the catalogue changed, and is told when it does."""

    # SQL a write runs in its own transaction (PostgreSQL's NOTIFY); None: nothing to run.
    notify_statement: str | None

    def token(self) -> bytes | None:
        """The current token; None when changes cannot be told (render from the database)."""
        ...

    def changed(self) -> None:
        """Tell the signal a write has just committed."""
        ...


class ProcessSignal:
    """Changes of a database only this process can see (SQLite in memory)."""

    notify_statement: str | None = None

    def __init__(self) -> None:
        self._token = token_new()

    def token(self) -> bytes:
        """The current token."""
        return self._token

    def changed(self) -> None:
        """A write has committed: a new token."""
        self._token = token_new()


class FileSignal:
    """Changes of a database file, told through a token file every process maps.

    A read is a memory read, with no system call: a call that releases the GIL would let
    the process's other threads in and cost far more than itself. The file lives as long
    as its database: removing it under running services is like removing the database's
    own ``-wal`` file.
    """

    notify_statement: str | None = None

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._mapped: mmap.mmap | None = None

    def token(self) -> bytes:
        """The token in the file now (the file is made if it is missing)."""
        mapped = self._mapped
        if mapped is None:
            mapped = self._map()
        return mapped[:TOKEN_SIZE]

    def changed(self) -> None:
        """A write has committed: a new token in the file, for every process."""
        self._write(token_new(), only_if_short=False)

    def _write(self, token: bytes, *, only_if_short: bool) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if not only_if_short or os.fstat(fd).st_size < TOKEN_SIZE:
                os.pwrite(fd, token, 0)
        finally:
            os.close(fd)

    def _map(self) -> mmap.mmap:
        # A file shorter than a token gets one first: reading a mapping past the end of
        # its file kills the process (SIGBUS).
        with self._lock:
            if self._mapped is None:
                self._write(token_new(), only_if_short=True)
                fd = os.open(self.path, os.O_RDONLY)
                try:
                    self._mapped = mmap.mmap(fd, TOKEN_SIZE, mmap.MAP_SHARED, mmap.PROT_READ)
                finally:
                    os.close(fd)
            return self._mapped


Connect = Callable[[], Any]


class PostgresSignal:
    """Changes of a PostgreSQL database, told by ``NOTIFY`` on ``channel``.

    The listener thread starts with the first ``token()`` of each process: a worker that
    a server forks inherits the object but not its parent's thread, and forgets the
    parent's at fork, so a read pays no process-id check. The listener reconnects after
    ``retry_seconds`` when its connection is lost, and waits at most ``poll_seconds``
    between looks at whether it must stop.
    """

    def __init__(
        self,
        connect: Connect,
        *,
        channel: str,
        retry_seconds: float = 1.0,
        poll_seconds: float = 1.0,
    ) -> None:
        if not channel.isidentifier():
            raise ValueError(f"not a channel name: {channel!r}")
        self.notify_statement: str | None = f"NOTIFY {channel}"
        self._connect = connect
        self._channel = channel
        self._retry_seconds = retry_seconds
        self._poll_seconds = poll_seconds
        self._token: bytes | None = None
        self._started = False
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.listening = threading.Event()
        os.register_at_fork(after_in_child=self._forget_parent)

    def _forget_parent(self) -> None:
        # A forked child has no thread of its parent's, and its parent's lock may be held.
        self._started, self._token, self._thread = False, None, None
        self._lock, self.listening = threading.Lock(), threading.Event()

    def token(self) -> bytes | None:
        """The current token; None while this process is not listening."""
        if not self._started:
            self._listener_start()
        return self._token

    def changed(self) -> None:
        """This process committed a write: a new token at once (others get the NOTIFY)."""
        if self._token is not None:
            self._token = token_new()

    def stop(self, *, wait: bool = False) -> None:
        """Stop listening (within ``poll_seconds``); reads then render from the database.

        ``wait``: return only once the listener's connection is closed.
        """
        self._stop.set()
        thread = self._thread
        if wait and thread is not None and thread is not threading.current_thread():
            thread.join(timeout=self._poll_seconds + 5)

    def _listener_start(self) -> None:
        with self._lock:
            if self._started:
                return
            self._started = True
            self._thread = threading.Thread(
                target=self._listen_until_stopped, name=f"listen-{self._channel}", daemon=True
            )
            self._thread.start()

    def _listen_until_stopped(self) -> None:
        failures = 0
        while not self._stop.is_set():
            try:
                self._listen()
            except Exception as exc:  # noqa: BLE001 - any failure: reconnect, reads go direct
                # Said once per outage, not once per retry.
                log.log(logging.DEBUG if failures else logging.WARNING, "listener lost: %s", exc)
            finally:
                failures = 0 if self.listening.is_set() else failures + 1
                self._token = None
                self.listening.clear()
            self._stop.wait(min(self._retry_seconds * 2 ** min(failures, 5), 30.0))

    def _listen(self) -> None:
        with self._connect() as connection:
            connection.execute(f"LISTEN {self._channel}")
            # Anything may have changed while no one listened: a token no read has used.
            self._token = token_new()
            self.listening.set()
            while not self._stop.is_set():
                for _notice in connection.notifies(timeout=self._poll_seconds):
                    self._token = token_new()


def postgres_connect(conninfo: str) -> Connect:
    """A function opening a listening connection to ``conninfo`` (psycopg 3, autocommit).

    TCP keepalives notice a server that vanished without closing the connection.
    """

    def connect() -> Any:
        import psycopg  # only a service on PostgreSQL needs it

        return psycopg.connect(
            conninfo,
            autocommit=True,
            connect_timeout=5,
            keepalives=1,
            keepalives_idle=10,
            keepalives_interval=5,
            keepalives_count=3,
        )

    return connect


_signals: dict[tuple[str, str, str], ChangeSignal] = {}
_signals_lock = threading.Lock()


def change_signal_for(database_url: str, *, channel: str) -> ChangeSignal:
    """The change signal of the database at ``database_url``, one per database per process.

    SQLAlchemy-style URLs: ``sqlite:///path``, ``sqlite://`` (memory), ``postgresql://``
    (a driver suffix such as ``+psycopg`` is ignored).
    """
    scheme, _separator, rest = database_url.partition("://")
    dialect = scheme.split("+")[0]
    if dialect in ("postgres", "postgresql"):
        return postgres_change_signal(f"postgresql://{rest}", channel=channel)
    if dialect != "sqlite":
        raise ValueError(f"no change signal for {scheme} databases")
    path = rest.removeprefix("/").split("?")[0]
    if path in SQLITE_MEMORY_NAMES or "mode=memory" in rest:
        return _signal_kept(("memory", database_url, channel), ProcessSignal)
    return _signal_kept(("file", path, channel), lambda: FileSignal(Path(f"{path}-changes")))


def postgres_change_signal(conninfo: str, *, channel: str) -> ChangeSignal:
    """The change signal of the PostgreSQL database at ``conninfo`` (a URL or a libpq
    ``key=value`` string), one per database per process."""
    return _signal_kept(
        ("postgresql", conninfo, channel),
        lambda: PostgresSignal(postgres_connect(conninfo), channel=channel),
    )


def _signal_kept(key: tuple[str, str, str], make: Callable[[], ChangeSignal]) -> ChangeSignal:
    with _signals_lock:
        if key not in _signals:
            _signals[key] = make()
        return _signals[key]


def change_signals_close() -> None:
    """Stop every listener of this process and forget every signal (before a test drops
    its databases: a listening connection would keep one open)."""
    with _signals_lock:
        signals = list(_signals.values())
        _signals.clear()
    for signal in signals:
        if isinstance(signal, PostgresSignal):
            signal.stop(wait=True)
