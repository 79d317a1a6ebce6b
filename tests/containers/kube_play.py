"""The rendered deploy/k8s overlay, played with ``podman kube play`` as far as podman 4.3 can.

Podman plays four kinds: Pod, Deployment, PersistentVolumeClaim and ConfigMap. The rest of the
overlay is translated here into its nearest equivalent, and nothing else about it is changed
(images, commands, environments, probes, security contexts, resources and volumes are played as
the overlay renders them):

- a **StatefulSet** of one replica becomes a Pod named ``<name>-0``, as Kubernetes names it, and
  each of its volume claim templates a PersistentVolumeClaim named ``<claim>-<name>-0``, owned by
  the pod's ``fsGroup`` (podman has no fsGroup; its ``volume.podman.io/uid`` and ``gid``
  annotations do that part of it);
- a **Job** becomes a Pod of its template, run to completion and waited for;
- a **Secret** becomes a podman secret holding the Secret's ``data`` map as JSON, the one form
  podman 4.3 reads a ``secretKeyRef`` from (a Secret in the played file fails: "not valid JSON");
- a **Service** becomes a DNS alias, on the lab's network, of the pod its selector picks: podman's
  network DNS answers pod names and aliases, and nothing else of a Service exists in podman;
- each **emptyDir** becomes a claim of the pod's own, named after the pod and owned by the
  pod's user, removed with the pod: podman 4.3 plays an emptyDir as a named volume called by the
  volume's name alone, which every pod naming one alike shares (the three databases' ``run``:
  one lock file for three servers) and which stays root's;
- each **containerPort** gets a ``hostPort`` on 127.0.0.1, from a free port: with none, kube play
  publishes every containerPort on all the host's addresses at its own number (5432, 8000, ...),
  which the machine's own PostgreSQL and lab already hold.

The workloads are played in the order Kubernetes converges to by retrying: the databases, then
the migration Jobs once the databases are ready, then the Deployments. Every name podman keeps
(pods, claims, secrets, the network) starts with the run's project name, so that two runs on one
machine never meet. Not played at all, and so verified offline only: the Namespace, Services'
own objects (cluster IPs, port mapping), NetworkPolicies, PodDisruptionBudgets and the Ingress.
"""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable, Generator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml

from cupcake_lab.ports import free_port
from tests.containers.base_images import Podman

Manifest = dict[str, Any]

PLAYED = frozenset({"Deployment", "ConfigMap"})
TRANSLATED = frozenset({"StatefulSet", "Job", "Secret", "Service"})
NOT_PLAYED = {
    "Namespace": "podman has no namespaces: every pod runs in the one lab network",
    "Service": "no cluster IPs or port mapping in podman; the name alone is played, as a DNS "
    "alias of the pod the selector picks",
    "NetworkPolicy": "podman enforces no network policies",
    "PodDisruptionBudget": "podman has no evictions to budget",
    "Ingress": "podman has no ingress controller",
}
READY_WITHIN = 180.0


class KubePlayError(Exception):
    """The overlay cannot be played, or one of its workloads failed."""


@dataclass(frozen=True)
class Workload:
    """One workload of the overlay, as podman plays it."""

    kind: str
    """Its kind in the overlay: Deployment, StatefulSet or Job."""
    name: str
    """Its name in the overlay."""
    pod: str
    """The name of the pod podman makes of it."""
    documents: list[Manifest]
    """What ``podman kube play`` is given: the workload as a Pod or a Deployment."""
    aliases: list[str]
    """The names of the Services that pick its pod."""
    host_ports: dict[str, int]
    """Each container port, by its name (or number), to its port on 127.0.0.1."""
    containers: dict[str, Manifest] = field(default_factory=dict)
    """Podman's name of each container, to the container's spec in the overlay."""
    scratch: list[Manifest] = field(default_factory=list)
    """The claims its emptyDirs became, made before its pod and removed with it."""

    @property
    def spec(self) -> Manifest:
        """The pod spec it plays."""
        document = self.documents[-1]
        template = document["spec"].get("template")
        spec: Manifest = template["spec"] if template else document["spec"]
        return spec


@dataclass(frozen=True)
class Played:
    """The overlay translated: what podman is given, in the order it is played."""

    project: str
    config_maps: list[Manifest]
    secrets: dict[str, dict[str, str]]
    """Each podman secret's name, to the data it holds."""
    claims: list[Manifest]
    databases: list[Workload]
    migrations: list[Workload]
    servers: list[Workload]
    not_played: dict[str, list[str]]
    """Each kind not played, to the names of its objects."""

    def workloads(self) -> list[Workload]:
        """Every workload, in the order played."""
        return [*self.databases, *self.migrations, *self.servers]


def translated(
    manifests: list[Manifest],
    *,
    project: str,
    images: Mapping[str, str],
    port: Callable[[], int] = free_port,
) -> Played:
    """The overlay's objects, as podman 4.3 can play them (see the module's docstring).

    ``images`` replaces images by name (``postgres:16`` by a local PostgreSQL, say); ``port``
    gives each host port.
    """
    kinds = {m["kind"] for m in manifests}
    unknown = kinds - PLAYED - TRANSLATED - set(NOT_PLAYED)
    if unknown:
        raise KubePlayError(f"no rule to play {sorted(unknown)}: add one to this module")
    secrets = {
        f"{project}-{m['metadata']['name']}": dict(m.get("data", {}))
        for m in manifests
        if m["kind"] == "Secret"
    }
    services = [m for m in manifests if m["kind"] == "Service"]
    renamed = _renamer(project, {m["metadata"]["name"] for m in manifests if m["kind"] == "Secret"})

    def workload(manifest: Manifest) -> Workload:
        document = renamed(manifest)
        if manifest["kind"] == "StatefulSet":
            document = _statefulset_pod(document, manifest["metadata"]["name"], project)
        elif manifest["kind"] == "Job":
            document = _job_pod(document)
        spec = document["spec"]["template"]["spec"] if "template" in document["spec"] \
            else document["spec"]  # fmt: skip
        labels = manifest["spec"]["template"]["metadata"].get("labels") or {}
        host_ports = _host_ports(spec, images, port)
        scratch = _scratch_claims(spec, document["metadata"]["name"])
        pod = document["metadata"]["name"]
        if document["kind"] == "Deployment":
            pod = f"{pod}-pod-0"  # podman 4.3 names a Deployment's one pod so
        return Workload(
            kind=manifest["kind"],
            name=manifest["metadata"]["name"],
            pod=pod,
            documents=[document],
            aliases=[s["metadata"]["name"] for s in services if _selects(s, labels)],
            host_ports=host_ports,
            containers={f"{pod}-{c['name']}": c for c in spec["containers"]},
            scratch=scratch,
        )

    claims = [
        claim for m in manifests if m["kind"] == "StatefulSet" for claim in _claims(m, project)
    ]
    return Played(
        project=project,
        config_maps=[m for m in manifests if m["kind"] == "ConfigMap"],
        secrets=secrets,
        claims=claims,
        databases=[workload(m) for m in manifests if m["kind"] == "StatefulSet"],
        migrations=[workload(m) for m in manifests if m["kind"] == "Job"],
        servers=[workload(m) for m in manifests if m["kind"] == "Deployment"],
        not_played={
            kind: sorted(m["metadata"]["name"] for m in manifests if m["kind"] == kind)
            for kind in NOT_PLAYED
            if kind in kinds
        },
    )


def _renamer(project: str, secret_names: set[str]) -> Callable[[Manifest], Manifest]:
    """A copy of a workload named ``<project>-<name>``, its secretKeyRefs renamed alike."""

    def renamed(manifest: Manifest) -> Manifest:
        document = copy.deepcopy(manifest)
        document["metadata"]["name"] = f"{project}-{manifest['metadata']['name']}"
        document["metadata"].pop("namespace", None)
        for container in document["spec"]["template"]["spec"]["containers"]:
            for variable in container.get("env", []):
                reference = (variable.get("valueFrom") or {}).get("secretKeyRef")
                if reference and reference["name"] in secret_names:
                    reference["name"] = f"{project}-{reference['name']}"
        return document

    return renamed


def _statefulset_pod(statefulset: Manifest, name: str, project: str) -> Manifest:
    spec = copy.deepcopy(statefulset["spec"]["template"]["spec"])
    for template in statefulset["spec"].get("volumeClaimTemplates", []):
        claim = template["metadata"]["name"]
        spec.setdefault("volumes", []).append(
            {
                "name": claim,
                "persistentVolumeClaim": {"claimName": _claim_name(claim, name, project)},
            }
        )
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": f"{statefulset['metadata']['name']}-0",
                     "labels": statefulset["spec"]["template"]["metadata"].get("labels", {})},
        "spec": spec,
    }  # fmt: skip


def _job_pod(job: Manifest) -> Manifest:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": job["metadata"]["name"],
                     "labels": job["spec"]["template"]["metadata"].get("labels", {})},
        "spec": copy.deepcopy(job["spec"]["template"]["spec"]),
    }  # fmt: skip


def _claim_name(claim: str, statefulset: str, project: str) -> str:
    return f"{project}-{claim}-{statefulset}-0"


def _owner(spec: Manifest) -> dict[str, str]:
    """The annotations that give a claim to the pod's user and its fsGroup (else its group)."""
    security = spec.get("securityContext", {})
    owner = {}
    group = security.get("fsGroup", security.get("runAsGroup"))
    if group is not None:
        owner["volume.podman.io/gid"] = str(group)
    if "runAsUser" in security:
        owner["volume.podman.io/uid"] = str(security["runAsUser"])
    return owner


def _scratch_claims(spec: Manifest, pod: str) -> list[Manifest]:
    """Turn every emptyDir of ``spec`` into a claim of the pod's own; those claims."""
    claims = []
    for volume in spec.get("volumes", []):
        if "emptyDir" in volume:
            name = f"{pod}-{volume['name']}"
            del volume["emptyDir"]
            volume["persistentVolumeClaim"] = {"claimName": name}
            claims.append(_claim(name, _owner(spec), {"accessModes": ["ReadWriteOnce"]}))
    return claims


def _claim(name: str, annotations: dict[str, str], spec: Manifest) -> Manifest:
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": name, "annotations": annotations},
        "spec": spec,
    }


def _claims(statefulset: Manifest, project: str) -> list[Manifest]:
    """The claims of a StatefulSet's one pod, owned by its fsGroup (and runAsUser)."""
    owner = _owner(statefulset["spec"]["template"]["spec"])
    return [
        _claim(
            _claim_name(template["metadata"]["name"], statefulset["metadata"]["name"], project),
            owner,
            template["spec"],
        )  # fmt: skip
        for template in statefulset["spec"].get("volumeClaimTemplates", [])
    ]


def _host_ports(
    spec: Manifest, images: Mapping[str, str], port: Callable[[], int]
) -> dict[str, int]:
    """Give every container port of ``spec`` a host port on 127.0.0.1, and every container its
    image's substitute; the host ports by port name (or number)."""
    host_ports = {}
    for container in spec["containers"]:
        container["image"] = images.get(container["image"], container["image"])
        for container_port in container.get("ports", []):
            container_port["hostIP"] = "127.0.0.1"
            container_port["hostPort"] = port()
            key = str(container_port.get("name", container_port["containerPort"]))
            host_ports[key] = container_port["hostPort"]
    return host_ports


def _selects(service: Manifest, labels: Mapping[str, str]) -> bool:
    selector = service["spec"].get("selector") or {}
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


@dataclass
class KubeLab:
    """The overlay played as pods on the network ``played.project``."""

    podman: Podman
    played: Played
    directory: Path

    def workload(self, name: str) -> Workload:
        """The workload called ``name`` in the overlay."""
        for workload in self.played.workloads():
            if workload.name == name:
                return workload
        raise KeyError(name)

    def url(self, service: str) -> str:
        """The base URL, from the host, of the Deployment ``service``'s http port."""
        return f"http://127.0.0.1:{self.workload(service).host_ports['http']}"

    def up(self) -> None:
        """Play the databases, wait for them, run the migrations to their end, then play the
        servers and wait until every probe the overlay gives them passes."""
        network = self.played.project
        self.podman.run("network", "create", network)
        for name, data in self.played.secrets.items():
            self._secret_create(name, data)
        if self.played.claims:
            self._play(self._file("claims", self.played.claims))
        for workload in self.played.databases:
            self.play(workload)
        for workload in self.played.databases:
            self.probes_wait(workload, "readinessProbe")
        for workload in self.played.migrations:
            self.play(workload)
        for workload in self.played.migrations:
            self.completed_wait(workload)
        for workload in self.played.servers:
            self.play(workload)
        for workload in self.played.servers:
            self.probes_wait(workload, "startupProbe")
            self.probes_wait(workload, "readinessProbe")

    def play(self, workload: Workload) -> None:
        """``podman kube play`` the workload, with the ConfigMaps it may read, on the lab's
        network under the names of the Services that pick it."""
        if workload.scratch:
            self._play(self._file(f"{workload.name}-scratch", workload.scratch))
        path = self._file(workload.name, [*self.played.config_maps, *workload.documents])
        network = self.played.project
        if workload.aliases:
            network += ":" + ",".join(f"alias={alias}" for alias in workload.aliases)
        self._play(path, "--network", network)

    def remove(self, workload: Workload) -> None:
        """Remove the workload's pod and its emptyDirs, as deleting a pod does (its
        StatefulSet's claims stay)."""
        self.podman.run("pod", "rm", "--force", "--time", "10", workload.pod)
        for claim in workload.scratch:
            self.podman.run("volume", "rm", "--force", claim["metadata"]["name"])

    def _play(self, path: Path, *options: str) -> None:
        self.podman.run("kube", "play", *options, str(path), timeout=300)

    def _secret_create(self, name: str, data: Mapping[str, str]) -> None:
        path = self.directory / f"{name}.json"
        path.write_text(json.dumps(data))
        path.chmod(0o600)
        self.podman.run("secret", "create", name, str(path))
        path.unlink()

    def _file(self, name: str, documents: list[Manifest]) -> Path:
        path = self.directory / f"{name}.yaml"
        path.write_text(yaml.safe_dump_all(documents, sort_keys=False))
        return path

    def probe_passes(self, workload: Workload, container: str, probe: Manifest) -> bool:
        """Whether ``probe`` (an exec or httpGet probe of the overlay) passes now."""
        if "exec" in probe:
            done = self.podman.run("exec", container, *probe["exec"]["command"], check=False)
            return done.returncode == 0
        get = probe["httpGet"]
        port = workload.host_ports[str(get["port"])]
        headers = {h["name"]: h["value"] for h in get.get("httpHeaders", [])}
        try:
            answer = httpx.get(f"http://127.0.0.1:{port}{get['path']}", headers=headers,
                               timeout=probe.get("timeoutSeconds", 1))  # fmt: skip
        except httpx.HTTPError:
            return False
        return 200 <= answer.status_code < 400

    def probes_wait(self, workload: Workload, kind: str, *, within: float = READY_WITHIN) -> None:
        """Wait until every container's probe of ``kind`` passes (those that have one)."""
        deadline = time.monotonic() + within
        for container, spec in workload.containers.items():
            probe = spec.get(kind)
            while probe and not self.probe_passes(workload, container, probe):
                if time.monotonic() > deadline:
                    raise KubePlayError(f"{container}'s {kind} fails after {within} s:\n"
                                        f"{self.logs(container)}")  # fmt: skip
                time.sleep(0.5)

    def completed_wait(self, workload: Workload, *, within: float = READY_WITHIN) -> None:
        """Wait until every container of a Job's pod has exited 0 (failures are retried by
        the pod's restart policy, as a Job's are)."""
        deadline = time.monotonic() + within
        for container in workload.containers:
            while self.state(container) != ("exited", 0):
                if time.monotonic() > deadline:
                    raise KubePlayError(f"{container} did not complete in {within} s:\n"
                                        f"{self.logs(container)}")  # fmt: skip
                time.sleep(0.5)

    def state(self, container: str) -> tuple[str, int]:
        """The container's status and exit code."""
        shown = self.podman.run("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}",
                                container).stdout.split()  # fmt: skip
        return shown[0], int(shown[1])

    def logs(self, container: str) -> str:
        """The last lines the container wrote."""
        return self.podman.run("logs", "--tail", "30", container, check=False).stdout

    def down(self) -> None:
        """Remove every pod, claim, secret and the network of the run."""
        # One at a time, podman takes seconds per pod to stop it and tear its network down.
        with ThreadPoolExecutor(max_workers=len(self.played.workloads())) as pool:
            for workload in self.played.workloads():
                pool.submit(self.podman.run, "pod", "rm", "--force", "--ignore", "--time", "10",
                            workload.pod, check=False)  # fmt: skip
        claims = [*self.played.claims, *(c for w in self.played.workloads() for c in w.scratch)]
        for claim in claims:
            self.podman.run("volume", "rm", "--force", claim["metadata"]["name"], check=False)
        for name in self.played.secrets:
            self.podman.run("secret", "rm", name, check=False)
        self.podman.run("network", "rm", "--force", self.played.project, check=False)


def kube_lab_running(
    podman: Podman, played: Played, directory: Path
) -> Generator[KubeLab, None, None]:
    """The overlay played, until the generator is closed."""
    lab = KubeLab(podman, played, directory)
    try:
        lab.up()
        yield lab
    finally:
        lab.down()
