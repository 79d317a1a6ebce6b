"""The calls a set of NetworkPolicies lets through, computed from the policies themselves.

A call from pod A to port P of pod B goes through when both ends allow it: A is not
isolated for egress or one of the egress rules of a policy selecting A lets it out to B
on P; and B is not isolated for ingress or an ingress rule of a policy selecting B lets
A in on P. Peers outside the namespace (cluster DNS, the ingress controller) have only
the side the namespace's policies control.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tests.deploy.kustomize import Manifest, of_kind
from tests.deploy.workloads import pod_kinds, selector_matches

NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"
# The namespace the manifests are applied to; base sets none, so any name but these two.
OWN_NAMESPACE = "cupcake-lab"


@dataclass(frozen=True)
class Endpoint:
    """One kind of pod a call can come from or go to."""

    node: str
    labels: Mapping[str, str]
    namespace: str
    ports: frozenset[tuple[int, str]]
    port_names: Mapping[str, int] = field(default_factory=dict)

    @property
    def inside(self) -> bool:
        """Whether the namespace's own policies govern this pod."""
        return self.namespace == OWN_NAMESPACE


# Outside the namespace: the cluster's DNS (CoreDNS) and ingress-nginx's controller.
CLUSTER_DNS = Endpoint(
    "dns", {"k8s-app": "kube-dns"}, "kube-system", frozenset({(53, "UDP"), (53, "TCP")})
)
INGRESS_CONTROLLER = Endpoint(
    "ingress-controller", {"app.kubernetes.io/name": "ingress-nginx"}, "ingress-nginx",
    frozenset(),
)  # fmt: skip
OUTSIDE = (CLUSTER_DNS, INGRESS_CONTROLLER)


def endpoints(manifests: list[Manifest]) -> list[Endpoint]:
    """The namespace's pods (from its workloads) and the peers outside it."""
    inside = [
        Endpoint(pod.node, pod.labels, OWN_NAMESPACE, pod.ports, pod.port_names)
        for pod in pod_kinds(manifests)
    ]
    return [*inside, *OUTSIDE]


def _peer_matches(peer: Mapping[str, Any], endpoint: Endpoint) -> bool:
    assert "ipBlock" not in peer, "ipBlock peers are not modelled by this test"
    if "namespaceSelector" in peer:
        namespace_labels = {NAMESPACE_NAME_LABEL: endpoint.namespace}
        if not selector_matches(peer["namespaceSelector"], namespace_labels):
            return False
    elif not endpoint.inside:
        return False  # a podSelector alone selects pods of the policy's own namespace
    return selector_matches(peer.get("podSelector"), endpoint.labels)


def _port_matches(
    rule_ports: Iterable[Mapping[str, Any]], target: Endpoint, port: tuple[int, str]
) -> bool:
    rule_ports = list(rule_ports)
    if not rule_ports:
        return True
    number, protocol = port
    for rule_port in rule_ports:
        wanted = rule_port.get("port")
        if isinstance(wanted, str):
            wanted = target.port_names.get(wanted)
        if rule_port.get("protocol", "TCP") == protocol and wanted in (None, number):
            return True
    return False


def _allowed_one_way(
    policies: list[Manifest], subject: Endpoint, other: Endpoint, target: Endpoint,
    port: tuple[int, str], direction: str,
) -> bool:  # fmt: skip
    """Whether the policies selecting ``subject`` let traffic to or from ``other`` pass."""
    policy_type, rules_key, peers_key = {
        "egress": ("Egress", "egress", "to"),
        "ingress": ("Ingress", "ingress", "from"),
    }[direction]
    selecting = [
        p for p in policies
        if policy_type in p["spec"].get("policyTypes", ["Ingress"])
        and selector_matches(p["spec"]["podSelector"], subject.labels)
    ]  # fmt: skip
    if not selecting:
        return True  # not isolated in this direction
    for policy in selecting:
        for rule in policy["spec"].get(rules_key) or []:
            peers = rule.get(peers_key) or [{"namespaceSelector": {}, "podSelector": {}}]
            if any(_peer_matches(peer, other) for peer in peers) and _port_matches(
                rule.get("ports") or [], target, port
            ):
                return True
    return False


def call_allowed(
    policies: list[Manifest], source: Endpoint, target: Endpoint, port: tuple[int, str]
) -> bool:
    """Whether ``source`` may open a connection to ``target`` on ``port``."""
    out = not source.inside or _allowed_one_way(policies, source, target, target, port, "egress")
    into = not target.inside or _allowed_one_way(policies, target, source, target, port, "ingress")
    return out and into


def allowed_calls(manifests: list[Manifest]) -> set[tuple[str, str]]:
    """Every (caller, callee) pair of nodes that some port of the callee lets through."""
    policies = of_kind(manifests, "NetworkPolicy")
    nodes = endpoints(manifests)
    calls = set()
    for source in nodes:
        for target in nodes:
            if source.node == target.node or not (source.inside or target.inside):
                continue
            if any(call_allowed(policies, source, target, port) for port in target.ports):
                calls.add((source.node, target.node))
    return calls
