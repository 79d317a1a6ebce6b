"""The lab spread over the hosts of a :class:`HostNetwork`: one service per namespace.

Each service is migrated, started and stopped by the launcher's own code
(:class:`ManagedService`, :func:`service_env`, :func:`load_settings`): the same granian
command line, the same environment, only run through ``ip netns exec`` and bound to its
host's address, with its own state directory and SQLite database, and its peers reached
at the other hosts' addresses.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, TextIO

from cupcake_lab.lab import service_env
from cupcake_lab.output import LinePrinter
from cupcake_lab.process import ManagedService
from cupcake_lab.readiness import probe
from cupcake_lab.services import SERVICES, ServiceSpec
from cupcake_lab.settings import LabSettings, load_settings

from .network import HostNetwork

READY_TIMEOUT = 60.0


@dataclass(frozen=True)
class HostSettings(LabSettings):
    """The launcher's settings as seen from one host: every service at its own host's address."""

    addresses: Mapping[str, str] = field(default_factory=dict)

    def base_url(self, name: str) -> str:
        """The URL of service ``name`` on its own host."""
        return f"http://{self.addresses[name]}:{self.ports[name]}"


def host_settings(*, name: str, state_dir: Path, addresses: Mapping[str, str]) -> HostSettings:
    """Settings for the host of service ``name``, read the way the launcher reads them."""
    read = load_settings({"CUPCAKE_HOST": addresses[name], "CUPCAKE_STATE_DIR": str(state_dir)})
    values = {f.name: getattr(read, f.name) for f in fields(read)}
    # Django answers only for the host names it is told; its host is an address here.
    values["extra_env"] = {"DJANGO_ALLOWED_HOSTS": addresses["bodies"]}
    return HostSettings(**values, addresses=addresses)


class NamespacedService(ManagedService):
    """A service the launcher's way, its server started inside a network namespace.

    ``ip netns exec`` enters the namespace and then becomes the server (exec, no fork), so
    the PID, and the process group that stop() and kill() signal, are the server's own.
    """

    def __init__(self, spec: ServiceSpec, *, namespace: str, **kwargs: Any) -> None:
        super().__init__(spec, **kwargs)
        self.namespace = namespace

    def server_argv(self) -> list[str]:
        """The launcher's granian command line, run inside this service's namespace."""
        return ["ip", "netns", "exec", self.namespace, *super().server_argv()]


class SpreadLab:
    """The three services, each on its own host, started and stopped by this object only."""

    def __init__(self, network: HostNetwork, root: Path, *, token: str, output: TextIO) -> None:
        self.network = network
        self.token = token
        addresses = {name: host.address for name, host in network.hosts.items()}
        printer = LinePrinter(output, colour=False)
        self.settings: dict[str, HostSettings] = {}
        self.services: dict[str, NamespacedService] = {}
        for spec in SERVICES:
            state_dir = root / spec.name
            settings = host_settings(name=spec.name, state_dir=state_dir, addresses=addresses)
            self.settings[spec.name] = settings
            self.services[spec.name] = NamespacedService(
                spec,
                namespace=network.hosts[spec.name].namespace,
                host=settings.host,
                port=settings.ports[spec.name],
                env=service_env(settings, spec, token),
                log_file=settings.log_dir / f"{spec.name}.log",
                printer=printer,
                workers=settings.workers,
                threads=settings.threads[spec.name],
            )
        self.urls = {name: s.base_url(name) for name, s in self.settings.items()}

    def start(self) -> None:
        """Migrate every service's database, then start every server and wait until ready."""
        for service in self.services.values():
            service.migrate()
        for service in self.services.values():
            service.start()
        self.wait_ready()

    def wait_ready(self, timeout: float = READY_TIMEOUT) -> None:
        """Wait until every service answers /readyz from the root namespace (AssertionError)."""
        deadline = time.monotonic() + timeout
        waiting = set(self.services)
        while waiting:
            for name in sorted(waiting):
                service = self.services[name]
                assert service.running, f"{name} exited ({service.exit_code}):\n{self.tails()}"
                if probe(self.urls[name], timeout=1.0).ready:
                    waiting.discard(name)
            if waiting:
                assert time.monotonic() < deadline, f"not ready: {waiting}\n{self.tails()}"
                time.sleep(0.1)

    def endpoint(self, name: str) -> tuple[str, int]:
        """The address and port service ``name`` listens on, on its own host."""
        return self.settings[name].host, self.settings[name].ports[name]

    def pids(self) -> dict[str, int | None]:
        """Each server's PID (None if it is not running)."""
        return {name: service.pid for name, service in self.services.items()}

    def tails(self) -> str:
        """The last log lines of every service, for a failure message."""
        return "\n".join(
            f"{name} | {line}" for name, service in self.services.items() for line in service.tail()
        )

    def stop(self) -> None:
        """Stop every server by its process group, front door first."""
        for service in reversed(list(self.services.values())):
            service.stop()
            service.close()
