"""ManagedService starts, watches and stops a real child process."""

import io
import sys
import time
from pathlib import Path

import pytest

from cupcake_lab.output import LinePrinter
from cupcake_lab.process import ManagedService, ServiceFailed
from cupcake_lab.services import ServiceSpec

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
) -> ManagedService:
    """A sleeper service (of ``kind``) logging into ``tmp_path`` (or ``log_file``) and
    printing to ``stream``."""
    return kind(
        spec,
        host="127.0.0.1",
        port=1,
        env={"PATH": "/usr/bin:/bin"},
        log_file=log_file or tmp_path / "sleeper.log",
        printer=LinePrinter(stream, colour=False),
    )


def test_output_is_prefixed_and_kept_in_the_log_file(tmp_path: Path) -> None:
    stream = io.StringIO()
    service = make_service(tmp_path, stream)
    service.migrate()
    service.start()
    try:
        assert service.running and service.describe() == "running"
        deadline = time.monotonic() + 10
        while "serving" not in service.tail() and time.monotonic() < deadline:
            time.sleep(0.01)
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


def said(service: ManagedService, line: str, within: float = 10.0) -> bool:
    """Whether ``line`` shows in the service's output within ``within`` seconds."""
    ends = time.monotonic() + within
    while line not in service.tail():
        if time.monotonic() > ends:
            return False
        time.sleep(0.01)
    return True
