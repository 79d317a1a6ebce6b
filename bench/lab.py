"""The lab and the baseline servers the benchmark drives, started and stopped here."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil

from bench.reads import DOCUMENTS_ENV
from cupcake_lab.output import LinePrinter
from cupcake_lab.ports import free_port
from cupcake_lab.process import ManagedService
from cupcake_lab.services import ServiceSpec
from cupcake_lab.settings import LabSettings, load_settings

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ("bodies", "frostings", "toppings")


@dataclass
class BenchLab:
    """A lab started by ``cupcake-lab up`` for the benchmark."""

    process: subprocess.Popen[bytes]
    env: dict[str, str]
    urls: dict[str, str]
    up_seconds: float

    @property
    def settings(self) -> LabSettings:
        """The launcher's settings for this lab (workers, threads per worker, ...)."""
        return load_settings(self.env)

    def cli(self, *args: str) -> None:
        """Run ``cupcake-lab ARGS`` against this lab (SystemExit if it fails)."""
        done = subprocess.run(
            [str(Path(sys.executable).parent / "cupcake-lab"), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if done.returncode != 0:
            raise SystemExit(f"cupcake-lab {' '.join(args)} failed: {done.stderr}")

    def memory_mb(self) -> float:
        """PSS of the launcher and every process it started, in MB."""
        root = psutil.Process(self.process.pid)
        total = 0
        for process in [root, *root.children(recursive=True)]:
            info = process.memory_full_info()
            total += int(getattr(info, "pss", info.rss))
        return total / 2**20


def lab_start(workdir: Path, *, extra_env: Mapping[str, str] | None = None) -> BenchLab:
    """Start a lab on spare ports as ``make up`` does (chaos hooks on), with ``extra_env``
    added to its environment; the time from the command to all three ready."""
    ports = {name: free_port() for name in SERVICES}
    env = dict(os.environ, CUPCAKE_STATE_DIR=str(workdir / "state"), NO_COLOR="1")
    env.update(extra_env or {})
    env.update({f"{name.upper()}_PORT": str(port) for name, port in ports.items()})
    log = workdir / "lab.log"
    started = time.monotonic()
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "cupcake-lab"), "up", "--chaos"],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    while "Cupcake Lab is up" not in log.read_text():
        if process.poll() is not None or time.monotonic() - started > 120:
            process.send_signal(signal.SIGTERM)
            process.wait(60)
            raise SystemExit(f"the lab did not start:\n{log.read_text()}")
        time.sleep(0.02)
    up_seconds = time.monotonic() - started
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    return BenchLab(process=process, env=env, urls=urls, up_seconds=up_seconds)


def lab_stop(lab: BenchLab) -> None:
    """Stop the lab as Ctrl-C would."""
    lab.process.send_signal(signal.SIGTERM)
    lab.process.wait(60)


def baseline_argv(target: str, *, port: int, settings: LabSettings, service: str) -> list[str]:
    """The launcher's own granian command line, serving ``target`` with the lab's workers
    and the threads per worker of ``service``, the service it is compared with."""
    spec = ServiceSpec(
        name="baseline",
        framework="",
        default_port=port,
        colour="",
        migrate=(),
        wsgi_target=target,
        factory=True,
    )
    managed = ManagedService(
        spec,
        host="127.0.0.1",
        port=port,
        env={},
        log_file=Path(os.devnull),
        printer=LinePrinter(),
        workers=settings.workers,
        threads=settings.threads[service],
    )
    return managed.server_argv()


def baseline_start(
    target: str, *, documents: Path, ready_path: str, settings: LabSettings, service: str
) -> tuple[subprocess.Popen[bytes], str]:
    """Serve a minimal app and the ``documents`` it answers exactly as the launcher serves
    ``service``; its base URL once ``ready_path`` answers."""
    port = free_port()
    log = documents.with_suffix(".log")
    with log.open("wb") as sink:
        process = subprocess.Popen(
            baseline_argv(target, port=port, settings=settings, service=service),
            cwd=ROOT,
            env=dict(os.environ, PYTHONPATH=str(ROOT), **{DOCUMENTS_ENV: str(documents)}),
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + ready_path, timeout=1).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.05)
    baseline_stop(process)
    raise SystemExit(f"the baseline {target} did not start:\n{log.read_text()[-3000:]}")


def baseline_stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a baseline server and its worker (if it has not already exited)."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    process.wait(30)
