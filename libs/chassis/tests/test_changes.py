"""Change signals: a committed write changes the token every reader sees."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cupcake_chassis.changes import (
    FileSignal,
    PostgresSignal,
    ProcessSignal,
    change_signal_for,
    postgres_connect,
)
from cupcake_testing.postgres import postgres_server_url


def test_a_process_signal_changes_its_token_on_each_write() -> None:
    signal = ProcessSignal()
    seen = {signal.token()}
    for _ in range(3):
        signal.changed()
        seen.add(signal.token())
    assert len(seen) == 4


def test_a_file_signal_keeps_its_token_until_a_write(tmp_path: Path) -> None:
    signal = FileSignal(tmp_path / "db.sqlite3-changes")
    first = signal.token()
    assert signal.token() == first
    signal.changed()
    assert signal.token() != first


def test_a_write_in_another_process_shows_in_the_very_next_read(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3-changes"
    reader = FileSignal(path)
    before = reader.token()
    code = "import sys; from pathlib import Path; from cupcake_chassis.changes import FileSignal; "
    code += "FileSignal(Path(sys.argv[1])).changed()"
    subprocess.run([sys.executable, "-c", code, str(path)], check=True)
    assert reader.token() != before


def test_two_signals_on_one_file_see_each_others_writes(tmp_path: Path) -> None:
    writer, reader = FileSignal(tmp_path / "x-changes"), FileSignal(tmp_path / "x-changes")
    before = reader.token()
    writer.changed()
    assert reader.token() == writer.token() != before


def test_a_short_token_file_is_filled_before_it_is_mapped(tmp_path: Path) -> None:
    path = tmp_path / "db-changes"
    path.write_bytes(b"")
    assert len(FileSignal(path).token()) == 16


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("sqlite://", ProcessSignal),
        ("sqlite:///:memory:", ProcessSignal),
        ("sqlite:///file:shared?mode=memory&uri=true", ProcessSignal),
        ("sqlite:////srv/lab/db.sqlite3", FileSignal),
        ("postgresql+psycopg://lab@db.example/lab", PostgresSignal),
        ("postgres://lab@db.example/lab", PostgresSignal),
    ],
)
def test_the_signal_follows_the_database_url(url: str, kind: type) -> None:
    assert isinstance(change_signal_for(url, channel="catalogue_test"), kind)


def test_a_file_signal_sits_beside_its_database() -> None:
    signal = change_signal_for("sqlite:////srv/lab/db.sqlite3", channel="catalogue_test")
    assert isinstance(signal, FileSignal)
    assert signal.path == Path("/srv/lab/db.sqlite3-changes")


def test_one_database_has_one_signal_per_process() -> None:
    url = "sqlite:////srv/lab/one.sqlite3"
    assert change_signal_for(url, channel="c") is change_signal_for(url, channel="c")


def test_an_unknown_database_has_no_signal() -> None:
    with pytest.raises(ValueError, match="mysql"):
        change_signal_for("mysql://lab@db/lab", channel="c")


class FakeListenConnection:
    """A connection whose notifications the test sends; it can be made to fail."""

    def __init__(self) -> None:
        self.executed: list[str] = []
        # What the listener will read next; None: the connection is lost.
        self.inbox: queue.Queue[str | None] = queue.Queue()

    def __enter__(self) -> FakeListenConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def execute(self, sql: str) -> None:
        self.executed.append(sql)

    def send(self, channel: str) -> None:
        """Notify the listener on ``channel``."""
        self.inbox.put(channel)

    def lose(self) -> None:
        """Close the connection under the listener, as a server restart would."""
        self.inbox.put(None)

    def notifies(self, timeout: float) -> Iterator[str]:
        """What psycopg's ``notifies`` yields: what arrives within ``timeout`` seconds."""
        try:
            message = self.inbox.get(timeout=timeout)
        except queue.Empty:
            return
        if message is None:
            raise ConnectionError("server closed the connection")
        yield message


def wait_for(condition: Any, timeout: float = 5.0) -> None:
    """Wait until ``condition()`` holds (bounded)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.001)


# Cleared by a test that must look before the listener connects.
connections_allowed = threading.Event()


@pytest.fixture
def fake_listener() -> Iterator[tuple[PostgresSignal, list[FakeListenConnection]]]:
    """A PostgreSQL signal on fake connections (one per connect), stopped afterwards."""
    connections_allowed.set()
    connections: list[FakeListenConnection] = []

    def connect() -> FakeListenConnection:
        assert connections_allowed.wait(timeout=5)
        connections.append(FakeListenConnection())
        return connections[-1]

    signal = PostgresSignal(connect, channel="catalogue_t", retry_seconds=0.01, poll_seconds=0.05)
    yield signal, connections
    signal.stop()


def test_postgres_reads_render_from_the_database_until_it_listens(fake_listener: Any) -> None:
    signal, connections = fake_listener
    connections_allowed.clear()
    first = signal.token()
    connections_allowed.set()
    wait_for(signal.listening.is_set)
    assert first is None
    assert connections[0].executed == ["LISTEN catalogue_t"]
    assert signal.token() is not None
    assert signal.notify_statement == "NOTIFY catalogue_t"


def test_postgres_a_notification_gives_a_new_token(fake_listener: Any) -> None:
    signal, connections = fake_listener
    signal.token()
    wait_for(signal.listening.is_set)
    before = signal.token()
    connections[0].send("catalogue_t")
    wait_for(lambda: signal.token() != before)


def test_postgres_the_writer_sees_its_own_write_at_once(fake_listener: Any) -> None:
    signal, _connections = fake_listener
    signal.token()
    wait_for(signal.listening.is_set)
    before = signal.token()
    signal.changed()
    assert signal.token() not in (before, None)


def test_postgres_a_lost_connection_means_no_token_then_a_new_one(fake_listener: Any) -> None:
    signal, connections = fake_listener
    signal.token()
    wait_for(signal.listening.is_set)
    before = signal.token()
    connections[0].lose()
    wait_for(lambda: len(connections) == 2 and signal.listening.is_set())
    assert signal.token() not in (before, None)


def test_postgres_a_bad_channel_name_is_refused() -> None:
    with pytest.raises(ValueError, match="channel"):
        PostgresSignal(lambda: None, channel="x; DROP TABLE y")


def test_postgres_a_committed_notify_reaches_another_listener_within_a_second() -> None:
    import psycopg

    server = postgres_server_url()
    signal = PostgresSignal(postgres_connect(server), channel="cupcake_chassis_test")
    try:
        signal.token()
        wait_for(signal.listening.is_set)
        before = signal.token()
        with psycopg.connect(server) as writer:
            writer.execute(signal.notify_statement or "")
            assert signal.token() == before  # not committed yet: nothing told
        sent = time.monotonic()
        wait_for(lambda: signal.token() != before, timeout=1.0)
        assert time.monotonic() - sent < 1.0
    finally:
        signal.stop()


# Python 3.12 warns on fork() in a process with threads; here that is the point.
@pytest.mark.filterwarnings("ignore:This process.*multi-threaded:DeprecationWarning")
def test_postgres_a_forked_worker_listens_on_its_own(fake_listener: Any) -> None:
    signal, connections = fake_listener
    signal.token()
    wait_for(signal.listening.is_set)
    child = os.fork()
    if child == 0:  # the worker: its parent's listener is not here; its first read starts one
        forgotten = not signal.listening.is_set()
        signal.token()
        listens = wait_for_quietly(signal.listening.is_set)
        os._exit(0 if forgotten and listens and signal.token() is not None else 1)
    _pid, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert signal.token() is not None  # the parent listens on


def wait_for_quietly(condition: Any, timeout: float = 5.0) -> bool:
    """Whether ``condition()`` holds within ``timeout`` (for a child, which must not raise)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.001)
    return True
