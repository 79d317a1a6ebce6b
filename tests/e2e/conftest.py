"""Fixtures that run a real lab through the cupcake-lab launcher, on free loopback ports."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

import httpx
import pytest

from cupcake_lab.ports import free_port

SERVICES = ("bodies", "frostings", "toppings")
START_TIMEOUT = 90.0
# A lab's ports are picked free, but taken only when its services bind them: a suite running
# side by side may take one in between. Such a lab stops at once, saying so, and is started
# again on other free ports, up to this many times in all.
PORT_TRIES = 3
PORT_TAKEN = "already in use"


class ServiceStatus(TypedDict):
    """A service's row of ``cupcake-lab status --json``."""

    service: str
    framework: str
    url: str
    pid: int | None  # None: not started by a lab
    state: str
    alive: bool
    ready: bool
    detail: str
    rss_mb: float


def started_pid(row: ServiceStatus) -> int:
    """The process id of a service the lab started (a row without one fails the test)."""
    pid = row["pid"]
    assert pid is not None, f"{row['service']} has no process"
    return pid


@dataclass
class RunningLab:
    """A lab started by ``cupcake-lab up`` for the tests, and how to reach it."""

    process: subprocess.Popen[bytes]
    env: dict[str, str]
    urls: dict[str, str]
    token: str
    output: Path

    def cli(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """Run ``cupcake-lab ARGS`` against this lab."""
        return subprocess.run(
            [sys.executable, "-m", "cupcake_lab.cli", *args],
            env=self.env, capture_output=True, text=True, timeout=timeout, check=False,
        )  # fmt: skip

    def statuses(self) -> dict[str, ServiceStatus]:
        """Each service's row of ``cupcake-lab status --json``."""
        rows = json.loads(self.cli("status", "--json").stdout)["services"]
        return {row["service"]: row for row in rows}

    def processes(self) -> dict[str, tuple[object, object]]:
        """Each service's process id and state: what a kill, restart, pause or stop changes."""
        return {name: (row["pid"], row["state"]) for name, row in self.statuses().items()}

    def wait_ready(self, name: str, timeout: float = 30) -> None:
        """Wait until service ``name`` answers /readyz 200."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.urls[name]}/readyz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"{name} not ready after {timeout} s:\n{self.output.read_text()}")


def wait_until(check: Callable[[], object], *, timeout: float, interval: float = 0.1) -> float:
    """Call ``check`` until it returns something true; the seconds that took.

    The wait is for a state, bounded by ``timeout`` seconds (an AssertionError past it),
    never by a count of tries: a fast lab answers thousands of requests in a second.
    """
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"not true after {timeout} s")
        time.sleep(interval)
    return time.monotonic() - started


def lab_env(state_dir: Path, ports: dict[str, int]) -> dict[str, str]:
    """The environment for a test lab: its own state dir, ports and admin token."""
    env = dict(os.environ)
    env.update({f"{name.upper()}_PORT": str(port) for name, port in ports.items()})
    env.update(
        {
            "CUPCAKE_STATE_DIR": str(state_dir),
            "CUPCAKE_ADMIN_TOKEN": "e2e-admin-token",
            "NO_COLOR": "1",
        }
    )
    return env


def start_lab(
    tmp_path: Path, *, chaos: bool = False, extra_env: Mapping[str, str] | None = None
) -> RunningLab:
    """Start ``cupcake-lab up`` (``--chaos`` if asked) and wait for every service to be ready.

    ``extra_env`` adds to the test lab's environment (e.g. the services' database URLs).
    """
    tries = 1
    while True:
        lab = lab_launch(tmp_path, chaos=chaos, extra_env=extra_env)
        if lab_came_up(lab):
            return lab
        output = lab.output.read_text()
        if PORT_TAKEN not in output or tries == PORT_TRIES:
            raise AssertionError(f"the lab did not come up:\n{output}")
        tries += 1


def lab_came_up(lab: RunningLab) -> bool:
    """Wait until the launcher says the lab is up (True); if it ends first, or START_TIMEOUT
    passes, stop it and say False."""
    deadline = time.monotonic() + START_TIMEOUT
    while "Cupcake Lab is up" not in lab.output.read_text():
        if lab.process.poll() is not None or time.monotonic() > deadline:
            stop_lab(lab)
            return False
        time.sleep(0.1)
    return True


def lab_launch(tmp_path: Path, *, chaos: bool, extra_env: Mapping[str, str] | None) -> RunningLab:
    """Launch ``cupcake-lab up`` on ports free right now, without waiting for it."""
    ports = {name: free_port() for name in SERVICES}
    env = {**lab_env(tmp_path / "state", ports), **(extra_env or {})}
    output = tmp_path / "lab-output.log"
    with output.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "cupcake_lab.cli", "up", *(["--chaos"] if chaos else [])],
            env=env, stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )  # fmt: skip
    return RunningLab(
        process=process,
        env=env,
        urls={name: f"http://127.0.0.1:{port}" for name, port in ports.items()},
        token=env["CUPCAKE_ADMIN_TOKEN"],
        output=output,
    )


@contextmanager
def lent(lab: RunningLab, borrower: str) -> Iterator[RunningLab]:
    """Lend a lab that the session shares to ``borrower`` (a test module), which only reads
    from it, or adds to it: afterwards every service must still run in the process it ran in
    before. A module that kills, restarts, pauses or reconfigures a service needs a lab of its
    own, else the modules after it would test what it left behind."""
    before = lab.processes()
    yield lab
    after = lab.processes()
    assert after == before, (
        f"{borrower} changed the lab it shares with other modules (service: process id, state):"
        f" {before} before, {after} after; give it a lab of its own"
    )


def stop_lab(lab: RunningLab) -> int:
    """Stop the lab the way Ctrl-C would (SIGTERM to the launcher) and return its exit code."""
    if lab.process.poll() is None:
        lab.process.send_signal(signal.SIGTERM)
    try:
        return lab.process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        lab.process.kill()
        raise


@contextmanager
def lab_running(
    tmp_path: Path, *, chaos: bool = False, extra_env: Mapping[str, str] | None = None
) -> Iterator[RunningLab]:
    """A lab started (``start_lab``) for the block, stopped cleanly after it."""
    running = start_lab(tmp_path, chaos=chaos, extra_env=extra_env)
    try:
        yield running
    finally:
        assert stop_lab(running) == 0, running.output.read_text()


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLab]:
    """A running lab shared by the tests of one module, stopped cleanly afterwards."""
    running = start_lab(tmp_path_factory.mktemp("lab"))
    yield running
    assert stop_lab(running) == 0, running.output.read_text()
