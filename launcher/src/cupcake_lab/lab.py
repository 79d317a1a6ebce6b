"""The running lab: its services, started in order, watched, and acted on."""

from __future__ import annotations

import os
import queue
import shutil
import time
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from pathlib import Path

from cupcake_lab.output import LinePrinter
from cupcake_lab.ports import port_is_free
from cupcake_lab.process import ManagedService, ServiceFailed
from cupcake_lab.readiness import probe
from cupcake_lab.services import SERVICES, ServiceSpec
from cupcake_lab.settings import LabSettings, admin_token

ACTIONS = ("stop", "start", "restart", "kill", "pause", "resume")


class PortTaken(Exception):
    """A port the lab needs is already in use."""


def service_env(settings: LabSettings, spec: ServiceSpec, token: str) -> dict[str, str]:
    """The environment one service runs with: its database, its peers, its public URL."""
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": settings.database_urls[spec.name],
            "CUPCAKE_ADMIN_TOKEN": token,
            "CUPCAKE_STATE_DIR": str(settings.state_dir),
            "PUBLIC_URL": settings.base_url(spec.name),
            "BODIES_URL": settings.base_url("bodies"),
            "FROSTINGS_URL": settings.base_url("frostings"),
            "TOPPINGS_URL": settings.base_url("toppings"),
            "PYTHONUNBUFFERED": "1",
            # Where the worker processes keep their Prometheus figures (``/metrics`` sums them).
            "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir(settings, spec.name)),
        }
    )
    if "DJANGO_ALLOWED_HOSTS" not in env:
        # bodies answers only the host names it is told; on another address than loopback,
        # that address must be one (a wildcard address is no host name: set it yourself).
        env["DJANGO_ALLOWED_HOSTS"] = ",".join(allowed_hosts(settings.host))
    env.update(settings.extra_env)
    return env


def allowed_hosts(host: str) -> list[str]:
    """The host names bodies accepts in a lab bound to ``host``: loopback's, and ``host``."""
    names = ["127.0.0.1", "localhost", "[::1]"]
    bracketed = f"[{host}]" if ":" in host else host
    if host not in ("0.0.0.0", "::") and bracketed not in names:
        names.append(bracketed)
    return names


def metrics_dir(settings: LabSettings, name: str) -> Path:
    """The folder of service ``name``'s metrics files."""
    return settings.state_dir / "metrics" / name


class Lab:
    """The three services of one local lab, each started and stopped by this object only."""

    def __init__(self, settings: LabSettings, printer: LinePrinter) -> None:
        self.settings = settings
        self.printer = printer
        token = admin_token(settings)
        self.services: dict[str, ManagedService] = {
            spec.name: ManagedService(
                spec,
                host=settings.host,
                port=settings.ports[spec.name],
                env=service_env(settings, spec, token),
                log_file=settings.log_dir / f"{spec.name}.log",
                printer=printer,
                workers=settings.workers,
                threads=settings.threads[spec.name],
                log_rotation=settings.log_rotation,
            )
            for spec in SERVICES
        }
        self._requests: queue.Queue[tuple[str, str, Future[str]]] = queue.Queue()

    def check_ports(self) -> None:
        """Raise PortTaken naming every port that another process already holds."""
        taken = [
            f"{name} needs {self.settings.host}:{service.port}"
            for name, service in self.services.items()
            if not port_is_free(self.settings.host, service.port)
        ]
        if taken:
            raise PortTaken(
                "port already in use: " + "; ".join(taken) + ". Is another lab running? "
                "Stop it, or choose other ports with BODIES_PORT, FROSTINGS_PORT, TOPPINGS_PORT."
            )

    def up(self) -> None:
        """Migrate and start every service, then wait until all are ready."""
        self.check_ports()
        self.settings.log_dir.mkdir(parents=True, exist_ok=True)
        for name in self.services:
            self.state_reset(name)
        with ThreadPoolExecutor(max_workers=len(self.services)) as pool:
            migrations = {pool.submit(s.migrate): s for s in self.services.values()}
            # Each service starts as soon as its own migrations are done, from this
            # (the main) thread: see request() for why it must be this thread.
            for done in as_completed(migrations):
                done.result()
                migrations[done].start()
        self.wait_ready(list(self.services))

    def state_reset(self, name: str) -> None:
        """Forget the chaos a service was given (a (re)started service starts healthy) and
        the metrics of its earlier processes (counters start again from zero)."""
        (self.settings.state_dir / f"chaos-{name}.json").unlink(missing_ok=True)
        if self.services[name].running:
            return  # its metrics files are in use
        folder = metrics_dir(self.settings, name)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)

    def wait_ready(self, names: list[str]) -> None:
        """Wait until each named service is ready; ServiceFailed if one dies or times out."""
        deadline = time.monotonic() + self.settings.ready_timeout
        waiting = set(names)
        while waiting:
            for name in sorted(waiting):
                service = self.services[name]
                if not service.running:
                    raise ServiceFailed(
                        name, f"exited ({service.exit_code}) while starting", service.tail()
                    )
                if probe(self.settings.base_url(name)).ready:
                    waiting.discard(name)
            if waiting and time.monotonic() > deadline:
                name = sorted(waiting)[0]
                raise ServiceFailed(
                    name,
                    f"not ready after {self.settings.ready_timeout:.0f} s",
                    self.services[name].tail(),
                )
            if waiting:
                time.sleep(0.05)

    def act(self, name: str, action: str) -> str:
        """Apply ``action`` (one of ACTIONS) to service ``name``; return its new state.

        A running service restarts in place (``ManagedService.restart_in_place``): its port
        never closes; one that is not running simply starts.
        """
        service = self.services[name]
        if action == "restart" and service.running:
            self.state_reset(name)
            service.restart_in_place(self.settings.ready_timeout)
            self.wait_ready([name])
            return service.state
        if action == "pause":
            service.pause()
        if action == "resume":
            service.resume()
        if action == "stop":
            service.stop()
        if action == "kill":
            service.kill()
        if action in ("start", "restart"):
            self.state_reset(name)
            if not service.running and not port_is_free(self.settings.host, service.port):
                address = f"{self.settings.host}:{service.port}"
                raise PortTaken(f"{name} cannot start: {address} is in use")
            service.start()
            self.wait_ready([name])
        return service.state

    def request(self, name: str, action: str) -> Future[str]:
        """Queue ``action`` on ``name`` for the launcher's main thread; the future holds the state.

        Services are started from the main thread only: Linux ties each child's
        parent-death signal to the thread that forked it, so a child started from a
        short-lived thread would be stopped when that thread ends.
        """
        future: Future[str] = Future()
        self._requests.put((name, action, future))
        return future

    def serve_requests(self, timeout: float) -> None:
        """Carry out the queued actions, waiting up to ``timeout`` seconds for the first."""
        try:
            name, action, future = self._requests.get(timeout=timeout)
        except queue.Empty:
            return
        try:
            future.set_result(self.act(name, action))
        except (ServiceFailed, PortTaken) as exc:
            future.set_exception(exc)

    def snapshot(self) -> dict[str, dict[str, object]]:
        """Each service's URL, PID and state, as the launcher sees them."""
        return {
            name: {
                "url": self.settings.base_url(name),
                "pid": service.pid,
                "state": service.describe(),
                "rss_bytes": service.resident_memory(),
                "framework": service.spec.framework,
            }
            for name, service in self.services.items()
        }

    def shutdown(self) -> None:
        """Stop every service, front door first."""
        for service in reversed(list(self.services.values())):
            service.stop()
            service.close()
