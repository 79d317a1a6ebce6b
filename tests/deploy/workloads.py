"""The pods a rendering would run: what each is called, its labels and its ports."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from tests.deploy.kustomize import Manifest

WORKLOAD_KINDS = ("Deployment", "StatefulSet", "Job")
NAME_LABEL = "app.kubernetes.io/name"
COMPONENT_LABEL = "app.kubernetes.io/component"


@dataclass(frozen=True)
class PodKind:
    """The pods of one workload."""

    node: str  # its name in the call graph: bodies, bodies-migrate, bodies-db, ...
    workload: Manifest
    labels: Mapping[str, str]
    ports: frozenset[tuple[int, str]]  # (port, protocol)
    port_names: Mapping[str, int]

    @property
    def spec(self) -> dict[str, Any]:
        """The pod template's spec."""
        spec: dict[str, Any] = self.workload["spec"]["template"]["spec"]
        return spec


def pod_kinds(manifests: list[Manifest]) -> list[PodKind]:
    """Every workload's pods, named for the call graph (a Job's by its component too)."""
    kinds = []
    for workload in manifests:
        if workload["kind"] not in WORKLOAD_KINDS:
            continue
        template = workload["spec"]["template"]
        labels = template["metadata"]["labels"]
        node = labels[NAME_LABEL]
        if labels.get(COMPONENT_LABEL) == "migrate":
            node = f"{node}-migrate"
        ports = set()
        names = {}
        for container in template["spec"]["containers"]:
            for port in container.get("ports", []):
                ports.add((port["containerPort"], port.get("protocol", "TCP")))
                if "name" in port:
                    names[port["name"]] = port["containerPort"]
        kinds.append(PodKind(node, workload, labels, frozenset(ports), names))
    return kinds


def containers(pod: PodKind) -> Iterator[dict[str, Any]]:
    """The pod's containers, init containers included."""
    yield from pod.spec.get("initContainers", [])
    yield from pod.spec["containers"]


def labels_match(wanted: Mapping[str, str], labels: Mapping[str, str]) -> bool:
    """Whether ``labels`` hold every pair of ``wanted`` (a Service's selector, matchLabels)."""
    return all(labels.get(key) == value for key, value in wanted.items())


def selector_matches(selector: Mapping[str, Any] | None, labels: Mapping[str, str]) -> bool:
    """Whether a LabelSelector selects ``labels`` (absent or {} selects everything)."""
    selector = selector or {}
    assert "matchExpressions" not in selector, "no manifest here uses matchExpressions"
    return labels_match(selector.get("matchLabels", {}), labels)


def env_of(container: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """A container's env entries by variable name."""
    return {entry["name"]: entry for entry in container.get("env", [])}
