"""One service process: migrate it, start it under granian, watch its output, stop it."""

from __future__ import annotations

import ctypes
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Mapping
from logging.handlers import RotatingFileHandler
from pathlib import Path

import psutil

from cupcake_lab.output import LinePrinter
from cupcake_lab.services import ServiceSpec
from cupcake_lab.settings import LogRotation

TAIL_LINES = 40
_PR_SET_PDEATHSIG = 1
# Connections a worker takes at once (granian's --backpressure; its default, 1,024, let
# 1,024 half-open connections shut every other client out): far more than the requests
# it works on, which admission control bounds (README, "Reliability under siege").
CONNECTIONS_PER_WORKER = 4096
# Milliseconds a connection may take to send a request's headers, and stay idle between
# requests (granian's default: 30 s). Longer than the peers' HTTP clients keep an idle
# connection (httpx: 5 s), so that a pooled connection is always closed by its client.
HEADER_READ_TIMEOUT_MS = 10_000


class _LogFile(RotatingFileHandler):
    """A service's log file, rotated by size with the standard library's handler, a bounded
    number of rotated files kept. Only the launcher writes it, each line whole under the
    handler's lock, so a rotation falls between two lines and loses none. A failed write
    is raised to the caller (which says so once and goes on), not printed as a traceback.
    """

    def __init__(self, path: Path, rotation: LogRotation) -> None:
        super().__init__(
            path, maxBytes=rotation.max_bytes, backupCount=rotation.backups, encoding="utf-8"
        )

    def handleError(self, record: logging.LogRecord) -> None:
        """Raise the error being handled (logging calls this from its except block) to
        whoever wrote the line."""
        raise


class ServiceFailed(Exception):
    """A service could not be migrated or started; carries its last log lines."""

    def __init__(self, name: str, reason: str, tail: list[str]) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason
        self.tail = tail


def executable(name: str) -> str:
    """Find a console script beside this interpreter first, then on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    return shutil.which(name) or name


def _die_with_launcher() -> None:
    """Ask Linux to SIGTERM this child if the launcher dies without stopping it.

    Runs in the child between fork and exec. A launcher killed with SIGKILL cannot stop
    its services; without this they would live on, orphaned, holding the lab's ports.
    """
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _pss(process: psutil.Process) -> int:
    info = process.memory_full_info()
    return int(getattr(info, "pss", info.rss))


class ManagedService:
    """A service process the launcher started, and only such a process."""

    def __init__(
        self,
        spec: ServiceSpec,
        *,
        host: str,
        port: int,
        env: Mapping[str, str],
        log_file: Path,
        printer: LinePrinter,
        workers: int = 1,
        threads: int = 8,
        log_rotation: LogRotation | None = None,
    ) -> None:
        self.spec = spec
        self.host = host
        self.port = port
        self._env = dict(env)
        self._log_file = log_file
        self._log_rotation = log_rotation or LogRotation()
        self._printer = printer
        self._workers = workers
        self._threads = threads
        self._tail: deque[str] = deque(maxlen=TAIL_LINES)
        self._process: subprocess.Popen[bytes] | None = None
        self._pump: threading.Thread | None = None
        self._log: _LogFile | None = None
        self._log_lock = threading.Lock()
        self._log_failing = False
        self.state = "stopped"

    @property
    def pid(self) -> int | None:
        """PID of the running server process, if any."""
        return self._process.pid if self.running and self._process else None

    @property
    def running(self) -> bool:
        """Whether the server process is alive (a stopped, SIGSTOPped one counts)."""
        return self._process is not None and self._process.poll() is None

    @property
    def exit_code(self) -> int | None:
        """The server's exit status once it has ended."""
        return None if self._process is None else self._process.poll()

    def describe(self) -> str:
        """The state in words: running, paused (SIGSTOP), stopped, killed or exited (code)."""
        if self.state == "running" and not self.running:
            return f"exited ({self.exit_code})"
        if self.running and self._process is not None:
            try:
                if psutil.Process(self._process.pid).status() == psutil.STATUS_STOPPED:
                    return "paused"
            except psutil.Error:
                pass
        return self.state

    def resident_memory(self) -> int:
        """Memory in bytes of the server and its workers, as PSS (0 when not running).

        PSS shares each page among the processes mapping it, so the figures of the
        services add up to what the lab really holds, shared libraries counted once.
        """
        if not self.running or self._process is None:
            return 0
        try:
            root = psutil.Process(self._process.pid)
            return sum(_pss(p) for p in [root, *root.children(recursive=True)])
        except psutil.Error:
            return 0

    def tail(self) -> list[str]:
        """The service's last log lines, oldest first."""
        return list(self._tail)

    def server_argv(self) -> list[str]:
        """The granian command line that serves this service."""
        argv = [
            sys.executable, "-m", "granian",
            "--interface", "wsgi",
            "--host", self.host,
            "--port", str(self.port),
            "--workers", str(self._workers),
            "--blocking-threads", str(self._threads),
            # Connections, not requests: granian's backpressure is a permit a connection
            # holds for its whole life, so idle and slow clients must not exhaust it.
            "--backpressure", str(CONNECTIONS_PER_WORKER),
            "--http1-header-read-timeout", str(HEADER_READ_TIMEOUT_MS),
            "--no-ws",
            # A worker that will not stop gracefully is killed, so that stopping a service
            # (or the launcher dying) never leaves one holding the port.
            "--workers-kill-timeout", "5",
        ]  # fmt: skip
        if self.spec.factory:
            argv.append("--factory")
        argv.append(self.spec.wsgi_target)
        return argv

    def migrate(self) -> None:
        """Apply the service's migrations; raise ServiceFailed with the output if they fail."""
        command = [executable(self.spec.migrate[0]), *self.spec.migrate[1:]]
        try:
            result = subprocess.run(
                command, env=self._env, capture_output=True, text=True, timeout=120, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ServiceFailed(self.spec.name, f"migrations could not run: {exc}", []) from exc
        lines = (result.stdout + result.stderr).splitlines()
        for line in lines:
            self._record(line)
        if result.returncode != 0:
            raise ServiceFailed(
                self.spec.name, f"migrations failed (exit {result.returncode})", lines[-TAIL_LINES:]
            )

    def start(self) -> None:
        """Start the server in a process group of its own, its output pumped to the terminal."""
        if self.running:
            return
        self._process = subprocess.Popen(
            self.server_argv(),
            env=self._env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            # Its own session: Ctrl-C on the terminal reaches the launcher only, which
            # then stops each service in order; and kill() can reach granian's workers.
            start_new_session=True,
            preexec_fn=_die_with_launcher,
        )
        self.state = "running"
        self._pump = threading.Thread(
            target=self._pump_output,
            args=(self._process,),
            name=f"pump-{self.spec.name}",
            daemon=True,
        )
        self._pump.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop gracefully (SIGTERM, then SIGKILL of its group after ``timeout``)."""
        if self._process is not None:
            self._end(self._process, self._pump, timeout)
        self.state = "stopped"

    def _end(
        self, process: subprocess.Popen[bytes], pump: threading.Thread | None, timeout: float
    ) -> None:
        """Stop ``process`` gracefully: granian lets its workers finish the requests they
        hold, then exits; SIGKILL for its whole group after ``timeout``."""
        if process.poll() is None:
            self._signal_group(signal.SIGCONT, process)  # a SIGSTOPped server cannot stop
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                self._signal_group(signal.SIGKILL, process)
                process.wait(5)
        self._signal_group(signal.SIGKILL, process)  # any worker left behind
        if pump is not None:
            pump.join(timeout=2)

    def restart_in_place(self, ready_timeout: float) -> None:
        """Restart without closing the port: a new server starts beside the running one and,
        once each of its workers listens, the old one stops gracefully.

        Each granian worker listens on a socket of its own with SO_REUSEPORT, so the kernel
        shares new connections among the old workers and the new ones until the old ones
        close theirs; the old ones answer what they hold, then exit. A new server that ends
        or does not listen within ``ready_timeout`` is stopped, the old one serving on, and
        ServiceFailed says why.
        """
        old, old_pump = self._process, self._pump
        if old is None or old.poll() is not None:
            self.start()
            return
        self._process = None
        self.start()
        try:
            self._wait_listening(ready_timeout)
        except BaseException:
            new, new_pump = self._process, self._pump
            self._process, self._pump = old, old_pump
            if new is not None:
                self._end(new, new_pump, timeout=5)
            raise
        self._end(old, old_pump, timeout=10)

    def _wait_listening(self, timeout: float) -> None:
        """Wait until each worker of the server listens on the service's port."""
        deadline = time.monotonic() + timeout
        while self._listening_workers() < self._workers:
            if not self.running:
                reason = f"the new server exited ({self.exit_code}) while starting"
                raise ServiceFailed(self.spec.name, reason, self.tail())
            if time.monotonic() > deadline:
                reason = f"the new server did not listen within {timeout:.0f} s"
                raise ServiceFailed(self.spec.name, reason, self.tail())
            time.sleep(0.05)

    def _listening_workers(self) -> int:
        """How many of the server's worker processes listen on the service's port."""
        if self._process is None:
            return 0
        try:
            workers = psutil.Process(self._process.pid).children()
            return sum(
                any(
                    sock.status == psutil.CONN_LISTEN and sock.laddr.port == self.port
                    for sock in worker.net_connections("tcp")
                )
                for worker in workers
            )
        except psutil.Error:  # a worker came or went meanwhile: look again
            return 0

    def kill(self) -> None:
        """Kill the server and its workers at once (SIGKILL), as a crash would."""
        process = self._process
        if process is None or process.poll() is not None:
            self.state = "killed"
            return
        self._signal_group(signal.SIGKILL)
        process.wait(5)
        self._join_pump()
        self.state = "killed"

    def pause(self) -> None:
        """Freeze the server and its workers (SIGSTOP): connections are accepted, never answered."""
        if self.running:
            self._signal_group(signal.SIGSTOP)

    def resume(self) -> None:
        """Let a paused server go on (SIGCONT)."""
        if self.running:
            self._signal_group(signal.SIGCONT)

    def _signal_group(
        self, signum: signal.Signals, process: subprocess.Popen[bytes] | None = None
    ) -> None:
        # The group id is our child's PID; the kernel keeps it from being reused while
        # any member lives, so this only ever reaches processes this launcher started.
        process = process or self._process
        if process is None:
            return
        try:
            os.killpg(process.pid, signum)
        except ProcessLookupError:
            pass

    def _join_pump(self) -> None:
        if self._pump is not None:
            self._pump.join(timeout=2)

    def _pump_output(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stdout is not None
        for raw in process.stdout:
            line = raw.decode("utf-8", "replace").rstrip()
            self._record(line)
            self._printer.service_line(self.spec.name, self.spec.colour, line)
        process.stdout.close()

    def _record(self, line: str) -> None:
        self._tail.append(line)
        with self._log_lock:
            try:
                if self._log is None:
                    self._log_file.parent.mkdir(parents=True, exist_ok=True)
                    self._log = _LogFile(self._log_file, self._log_rotation)
                self._log.handle(logging.makeLogRecord({"msg": line}))
            except OSError as exc:
                self._log_failed(exc)
            else:
                self._log_failing = False

    def _log_failed(self, exc: OSError) -> None:
        # A full disk must not end the pump: the service would then block on a full pipe.
        # The line still goes to the screen; the file is opened afresh for the next one.
        if self._log is not None:
            try:
                self._log.close()
            except OSError:
                pass
            self._log = None
        if not self._log_failing:
            self._log_failing = True
            self._printer.lab_line(f"{self.spec.name}: its log file cannot be written ({exc})")

    def close(self) -> None:
        """Close the service's log file (after it has stopped)."""
        with self._log_lock:
            if self._log is not None:
                self._log.close()
                self._log = None
