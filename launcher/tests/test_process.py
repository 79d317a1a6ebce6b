"""ManagedService starts, watches and stops a real child process."""

import io
import socket
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil
import pytest

from cupcake_lab.output import LinePrinter
from cupcake_lab.ports import free_port
from cupcake_lab.process import ManagedService, ServiceFailed
from cupcake_lab.services import ServiceSpec
from cupcake_lab.settings import LogRotation

SLEEPER = ServiceSpec(
    name="sleeper",
    framework="none",
    default_port=1,
    colour="blue",
    migrate=(sys.executable, "-c", "print('migrated')"),
    wsgi_target="unused",
)


class SleeperService(ManagedService):
    """A ManagedService whose server is a Python process that prints and sleeps."""

    def server_argv(self) -> list[str]:
        """Print a line, then sleep far longer than any test."""
        code = "import time; print('serving', flush=True); time.sleep(600)"
        return [sys.executable, "-c", code]


def make_service(
    tmp_path: Path,
    stream: io.StringIO,
    spec: ServiceSpec = SLEEPER,
    *,
    kind: type[SleeperService] = SleeperService,
    log_file: Path | None = None,
    **options: Any,
) -> ManagedService:
    """A sleeper service (of ``kind``) logging into ``tmp_path`` (or ``log_file``) and
    printing to ``stream``; ``options`` add to or replace ManagedService's other ones."""
    return kind(
        spec,
        **{
            "host": "127.0.0.1",
            "port": 1,
            "env": {"PATH": "/usr/bin:/bin"},
            "log_file": log_file or tmp_path / "sleeper.log",
            "printer": LinePrinter(stream, colour=False),
            **options,
        },
    )


def until(check: Callable[[], bool], timeout: float = 10) -> bool:
    """Wait until ``check`` is true, at most ``timeout`` seconds; whether it came true."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def said(service: ManagedService, line: str, within: float = 10.0) -> bool:
    """Whether ``line`` shows in the service's output within ``within`` seconds."""
    return until(lambda: line in service.tail(), timeout=within)


def test_output_is_prefixed_and_kept_in_the_log_file(tmp_path: Path) -> None:
    stream = io.StringIO()
    service = make_service(tmp_path, stream)
    service.migrate()
    service.start()
    try:
        assert service.running and service.describe() == "running"
        said(service, "serving")
    finally:
        service.stop(timeout=5)
    service.close()
    assert "  sleeper | serving" in stream.getvalue()
    assert (tmp_path / "sleeper.log").read_text().splitlines() == ["migrated", "serving"]
    assert service.describe() == "stopped" and service.pid is None


def test_kill_ends_the_process_at_once(tmp_path: Path) -> None:
    service = make_service(tmp_path, io.StringIO())
    service.start()
    service.kill()
    service.close()
    assert not service.running
    assert service.describe() == "killed"
    assert service.exit_code == -9


def test_failed_migrations_raise_with_their_output(tmp_path: Path) -> None:
    failing = ServiceSpec(
        name="sleeper",
        framework="none",
        default_port=1,
        colour="blue",
        migrate=(sys.executable, "-c", "import sys; print('no such table'); sys.exit(3)"),
        wsgi_target="unused",
    )
    service = make_service(tmp_path, io.StringIO(), failing)
    with pytest.raises(ServiceFailed, match="exit 3") as caught:
        service.migrate()
    service.close()
    assert caught.value.tail == ["no such table"]


class ScriptService(SleeperService):
    """A ManagedService whose server is the Python code ``script``, given the port as argv[1]."""

    script = ""

    def server_argv(self) -> list[str]:
        """Run ``script``."""
        return [sys.executable, "-c", self.script, str(self.port)]


class CountingService(ScriptService):
    """Prints ``line 1`` to ``line 3000``, then sleeps."""

    script = "import time\nfor n in range(1, 3001): print(f'line {n}', flush=True)\ntime.sleep(600)"


# A server as granian runs one: each worker, a child process, listens on the port with a
# socket of its own (SO_REUSEPORT), and the parent only waits.
REUSEPORT_SERVER = """
import os, socket, sys, time
if os.fork() == 0:
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    listener.bind(("127.0.0.1", int(sys.argv[1])))
    listener.listen()
    print("listening", flush=True)
    while True:
        listener.accept()[0].close()
os.wait()
"""


class ReuseportService(ScriptService):
    """Listens as a granian worker does."""

    script = REUSEPORT_SERVER


def rotated_lines(service: ManagedService, tmp_path: Path, rotation: LogRotation) -> list[str]:
    """Run ``service`` until it has printed its last line, then read back every file of its
    log, oldest first, after checking none is over the size."""
    service.start()
    try:
        said(service, "line 3000", within=20)
    finally:
        service.stop(timeout=5)
    service.close()
    log = tmp_path / "sleeper.log"
    files = [log.with_name(f"{log.name}.{n}") for n in range(rotation.backups, 0, -1)] + [log]
    kept = [path for path in files if path.exists()]
    assert all(path.stat().st_size <= rotation.max_bytes for path in kept)
    return [line for path in kept for line in path.read_text().splitlines()]


def counting_service(tmp_path: Path, rotation: LogRotation) -> ManagedService:
    """A CountingService logging into ``tmp_path``, rotated as ``rotation`` says."""
    return make_service(tmp_path, io.StringIO(), kind=CountingService, log_rotation=rotation)


def test_the_log_file_rotates_by_size_and_loses_no_line(tmp_path: Path) -> None:
    rotation = LogRotation(max_bytes=1024, backups=100)  # room for every line

    lines = rotated_lines(counting_service(tmp_path, rotation), tmp_path, rotation)

    assert lines == [f"line {n}" for n in range(1, 3001)]
    files = len(list(tmp_path.glob("sleeper.log*")))
    assert files >= sum(len(line) + 1 for line in lines) / 1024  # 28 kB in files of 1 kB


def test_only_the_newest_rotated_files_are_kept(tmp_path: Path) -> None:
    rotation = LogRotation(max_bytes=1024, backups=2)

    lines = rotated_lines(counting_service(tmp_path, rotation), tmp_path, rotation)

    assert not (tmp_path / "sleeper.log.3").exists()
    assert lines[-1] == "line 3000"
    assert lines == [f"line {n}" for n in range(3001 - len(lines), 3001)]  # the newest, whole
    assert 2 * 900 < sum(len(line) + 1 for line in lines) <= 3 * 1024  # two full, one begun


def reuseport_service(tmp_path: Path) -> ScriptService:
    """A server listening as granian's workers do, on a free port, started and listening."""
    service = make_service(tmp_path, io.StringIO(), kind=ReuseportService, port=free_port())
    assert isinstance(service, ScriptService)
    service.start()
    assert until(lambda: listening(service.port))
    return service


def listening(port: int) -> bool:
    """Whether a connection to ``port`` on loopback is accepted."""
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_a_restart_in_place_starts_the_new_server_before_it_stops_the_old(
    tmp_path: Path,
) -> None:
    service = reuseport_service(tmp_path)
    try:
        old = psutil.Process(service.pid)
        refused = []
        done = threading.Event()

        def knock() -> None:
            while not done.is_set():
                if not listening(service.port):
                    refused.append(time.monotonic())
                time.sleep(0.001)

        knocker = threading.Thread(target=knock)
        knocker.start()
        try:
            service.restart_in_place(ready_timeout=10)
        finally:
            done.set()
            knocker.join()

        assert refused == []
        assert service.pid != old.pid and service.running
        assert not old.is_running() or old.status() == psutil.STATUS_ZOMBIE
        assert listening(service.port)
        assert service.tail().count("listening") == 2
    finally:
        service.stop(timeout=5)
        service.close()


@pytest.mark.parametrize(
    ("script", "reason"),
    [
        ("import sys; print('no such module'); sys.exit(4)", r"exited \(4\) while starting"),
        ("import time; time.sleep(600)", "did not listen within 1 s"),
    ],
)
def test_a_new_server_that_fails_leaves_the_old_one_serving(
    tmp_path: Path, script: str, reason: str
) -> None:
    service = reuseport_service(tmp_path)
    try:
        old = service.pid
        service.script = script

        with pytest.raises(ServiceFailed, match=reason):
            service.restart_in_place(ready_timeout=1)

        assert service.pid == old and listening(service.port)
    finally:
        service.stop(timeout=5)
        service.close()


class ChattySleeper(SleeperService):
    """A sleeper that prints three lines before it sleeps."""

    def server_argv(self) -> list[str]:
        """Three lines, then a long sleep."""
        code = "import time\nfor n in range(3): print('line', n, flush=True)\ntime.sleep(600)"
        return [sys.executable, "-c", code]


def test_a_log_file_that_cannot_be_written_stops_nothing(tmp_path: Path) -> None:
    stream = io.StringIO()
    # /dev/full: every write fails as on a full disk (ENOSPC).
    service = make_service(tmp_path, stream, kind=ChattySleeper, log_file=Path("/dev/full"))
    service.start()
    try:
        assert said(service, "line 2")
    finally:
        service.stop(timeout=5)
    service.close()
    printed = stream.getvalue()
    assert [f"  sleeper | line {n}" in printed for n in range(3)] == [True, True, True]
    assert printed.count("its log file cannot be written") == 1
