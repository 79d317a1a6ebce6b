"""The lab as deploy/compose.yaml describes it, run with podman one stage at a time.

podman-compose 1.0 (Debian bookworm's) cannot bring this file up: it fails on
``depends_on`` ("depends on container ... not found in input list") and does not wait
for health conditions. So the file is read here and each of its services is run as
Compose would: in the order of ``depends_on``, a ``service_healthy`` dependency waited for
by running its health check, a ``service_completed_successfully`` one run to its end.
What is taken from the file as it is: images, commands, environments, volumes, health
checks, the network names. What is changed, and only this: each published port goes to a
free port on 127.0.0.1 (the machine's own lab may hold the file's ports), with
``PUBLIC_URL`` following it, and every name is prefixed with the run's project name.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cupcake_lab.ports import free_port
from tests.containers.base_images import RESOURCE_LIMITS, Podman

_VARIABLE = re.compile(r"\$\{(\w+)(?:(:\?|:-)([^}]*))?\}")
HEALTHY_WITHIN = 120.0


class ComposeError(Exception):
    """The Compose file cannot be run as written, or one of its services failed."""


def interpolated(value: Any, variables: Mapping[str, str]) -> Any:
    """``value`` with every ``${NAME}``, ``${NAME:-default}`` and ``${NAME:?error}`` of its
    strings replaced, as Compose does from the environment and ``.env``."""
    if isinstance(value, str):

        def replace(match: re.Match[str]) -> str:
            name, kind, argument = match.groups()
            if variables.get(name):
                return variables[name]
            if kind == ":?":
                raise ComposeError(f"{name} is not set: {argument}")
            return argument if kind == ":-" else variables.get(name, "")

        return _VARIABLE.sub(replace, value)
    if isinstance(value, list):
        return [interpolated(item, variables) for item in value]
    if isinstance(value, dict):
        return {key: interpolated(item, variables) for key, item in value.items()}
    return value


@dataclass(frozen=True)
class Published:
    """A port the file publishes: on ``host_port`` of 127.0.0.1, from ``container_port``."""

    host_port: int
    container_port: int


@dataclass(frozen=True)
class ComposeService:
    """One service of the file, interpolated."""

    name: str
    image: str
    command: list[str] | None
    environment: dict[str, str]
    volumes: list[str]
    published: list[Published]
    depends_on: dict[str, str]
    healthcheck: list[str] | None
    one_shot: bool = False  # run to its end (a migration): what another waits to complete


def services_read(path: Path, variables: Mapping[str, str]) -> dict[str, ComposeService]:
    """The services of the Compose file at ``path``, in the order they must start."""
    document = interpolated(yaml.safe_load(path.read_text()), variables)
    read = {name: _service(name, spec) for name, spec in document["services"].items()}
    completed = {
        dependency
        for service in read.values()
        for dependency, condition in service.depends_on.items()
        if condition == "service_completed_successfully"
    }
    return {
        name: dataclasses.replace(read[name], one_shot=name in completed)
        for name in _start_order(read)
    }


def _service(name: str, spec: dict[str, Any]) -> ComposeService:
    published = []
    for port in spec.get("ports", []):
        host_ip, host_port, container_port = str(port).split(":")
        if host_ip != "127.0.0.1":
            raise ComposeError(f"{name} publishes {port}: only 127.0.0.1 is allowed")
        published.append(Published(int(host_port), int(container_port)))
    depends = spec.get("depends_on", {})
    test = (spec.get("healthcheck") or {}).get("test")
    return ComposeService(
        name=name,
        image=spec["image"],
        command=spec.get("command"),
        environment={key: str(value) for key, value in spec.get("environment", {}).items()},
        volumes=list(spec.get("volumes", [])),
        published=published,
        depends_on={dep: (cond or {}).get("condition", "service_started") for dep, cond in
                    (depends.items() if isinstance(depends, dict) else ((d, {}) for d in depends))},
        healthcheck=list(test[1:]) if test and test[0] == "CMD" else None,
    )  # fmt: skip


def _start_order(services: Mapping[str, ComposeService]) -> list[str]:
    ordered: list[str] = []

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in ordered:
            return
        if name in path:
            raise ComposeError(f"depends_on cycle: {' -> '.join((*path, name))}")
        for dependency in services[name].depends_on:
            visit(dependency, (*path, name))
        ordered.append(name)

    for name in services:
        visit(name, ())
    return ordered


@dataclass
class ComposeLab:
    """The file's services running as containers of the project ``project``."""

    podman: Podman
    project: str
    services: dict[str, ComposeService]
    ports: dict[str, dict[int, int]] = field(default_factory=dict)  # service: container->host

    def container(self, service: str) -> str:
        """The container's name of ``service``."""
        return f"{self.project}-{service}"

    def url(self, service: str) -> str:
        """The base URL, from the host, of the first port ``service`` publishes."""
        return f"http://127.0.0.1:{next(iter(self.ports[service].values()))}"

    def up(self) -> None:
        """Start every service in order, each dependency met as its condition says; return
        once every service that has a health check passes it."""
        self.podman.run("network", "create", self.project)
        for service in self.services.values():
            for dependency, condition in service.depends_on.items():
                if condition == "service_healthy":
                    self.healthy_wait(dependency)
            self._run(service)
        for service in self.services.values():
            if not service.one_shot and service.healthcheck is not None:
                self.healthy_wait(service.name)

    def _run(self, service: ComposeService) -> None:
        environment = dict(service.environment)
        ports = {p.container_port: free_port() for p in service.published}
        self.ports[service.name] = ports
        if "PUBLIC_URL" in environment and ports:
            environment["PUBLIC_URL"] = self.url(service.name)
        argv = ["run", *RESOURCE_LIMITS, "--name", self.container(service.name),
                "--network", self.project, "--network-alias", service.name]  # fmt: skip
        for container_port, host_port in ports.items():
            argv += ["--publish", f"127.0.0.1:{host_port}:{container_port}"]
        for volume in service.volumes:
            argv += ["--volume", f"{self.project}-{volume}"]
        for key, value in environment.items():
            argv += ["--env", f"{key}={value}"]
        if service.one_shot:
            done = self.podman.run(*argv, service.image, *(service.command or []), check=False)
            if done.returncode != 0:
                raise ComposeError(f"{service.name} failed ({done.returncode}): {done.stderr}")
            return
        self.podman.run(*argv, "--detach", service.image, *(service.command or []))

    def healthy_wait(self, service: str, *, within: float = HEALTHY_WITHIN) -> None:
        """Wait until ``service`` passes its health check, as Compose's condition does."""
        test = self.services[service].healthcheck
        if test is None:
            raise ComposeError(f"{service} has no health check to wait on")
        deadline = time.monotonic() + within
        while True:
            checked = self.podman.run("exec", self.container(service), *test, check=False)
            if checked.returncode == 0:
                return
            if time.monotonic() > deadline:
                logs = self.podman.run("logs", "--tail", "20", self.container(service), check=False)
                raise ComposeError(f"{service} not healthy within {within} s: {logs.stdout}")
            time.sleep(0.5)

    def down(self) -> None:
        """Remove every container, volume and the network of the project."""
        for name in reversed(self.services):
            self.podman.run("rm", "--force", "--time", "5", self.container(name), check=False)
        volumes = {v.split(":")[0] for s in self.services.values() for v in s.volumes}
        for volume in volumes:
            self.podman.run("volume", "rm", "--force", f"{self.project}-{volume}", check=False)
        self.podman.run("network", "rm", "--force", self.project, check=False)


def compose_lab_running(
    podman: Podman, path: Path, variables: Mapping[str, str], *, project: str
) -> Iterator[ComposeLab]:
    """The lab of the Compose file at ``path``, up until the generator is closed."""
    lab = ComposeLab(podman, project, services_read(path, variables))
    try:
        lab.up()
        yield lab
    finally:
        lab.down()
