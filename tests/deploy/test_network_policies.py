"""The NetworkPolicies let through exactly the call graph of docs/architecture.md, and nothing else.

The graph is computed from the rendered policies (tests/deploy/network_graph.py) and
compared with the one docs/architecture.md draws, and with the one the services' configuration
implies (the peer URLs each server is given).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from tests.deploy.design import (
    BROWSER_CALLS,
    SERVICE_CALLS,
    SERVICE_NAMES,
    database_calls,
    dns_calls,
)
from tests.deploy.kustomize import Manifest, named, of_kind
from tests.deploy.network_graph import OUTSIDE, allowed_calls
from tests.deploy.workloads import pod_kinds, selector_matches


def own_pods(manifests: list[Manifest]) -> set[str]:
    """The call-graph names of the namespace's pods."""
    return {pod.node for pod in pod_kinds(manifests)}


def test_every_pod_is_isolated_both_ways(rendering: tuple[str, list[Manifest]]) -> None:
    _, manifests = rendering
    policies = of_kind(manifests, "NetworkPolicy")
    for pod in pod_kinds(manifests):
        for direction in ("Ingress", "Egress"):
            assert any(
                direction in p["spec"]["policyTypes"]
                and selector_matches(p["spec"]["podSelector"], pod.labels)
                for p in policies
            ), f"{pod.node} is not isolated for {direction}"


def test_the_local_cluster_allows_exactly_the_call_graph(local_manifests: list[Manifest]) -> None:
    nodes = own_pods(local_manifests)
    expected = SERVICE_CALLS | BROWSER_CALLS | database_calls() | dns_calls(nodes)
    assert allowed_calls(local_manifests) == expected


def test_the_base_allows_exactly_the_call_graph_among_its_pods(
    base_manifests: list[Manifest],
) -> None:
    # Base runs no database (each DATABASE_URL says where it is): the calls between
    # what it does run must already be exactly the graph's.
    nodes = own_pods(base_manifests)
    expected = SERVICE_CALLS | BROWSER_CALLS | dns_calls(nodes)
    assert nodes == set(SERVICE_NAMES) | {f"{name}-migrate" for name in SERVICE_NAMES}
    assert allowed_calls(base_manifests) == expected


def test_the_peers_each_server_is_configured_to_call_are_the_calls_allowed(
    rendering: tuple[str, list[Manifest]],
) -> None:
    _, manifests = rendering
    configured = set()
    config = {m["metadata"]["name"]: m["data"] for m in of_kind(manifests, "ConfigMap")}
    for service in SERVICE_NAMES:
        (container,) = named(manifests, "Deployment", service)["spec"]["template"]["spec"][
            "containers"
        ]
        for entry in container["env"]:
            ref = entry.get("valueFrom", {}).get("configMapKeyRef")
            if entry["name"].endswith("_URL") and entry["name"] != "PUBLIC_URL" and ref:
                host = urlsplit(config[ref["name"]][ref["key"]]).hostname
                configured.add((service, str(host)))
    assert configured == SERVICE_CALLS
    allowed = allowed_calls(manifests)
    assert {
        call for call in allowed if call[0] in SERVICE_NAMES and call[1] in SERVICE_NAMES
    } == configured


def _with_policy(manifests: list[Manifest], name: str, spec: dict[str, Any]) -> list[Manifest]:
    """``manifests`` with the NetworkPolicy ``name`` replaced by one of ``spec``."""
    kept = [m for m in manifests if m["metadata"]["name"] != name]
    return [*kept, {"kind": "NetworkPolicy", "metadata": {"name": name}, "spec": spec}]


def test_a_call_outside_the_graph_needs_both_ends_to_open_and_is_then_caught(
    local_manifests: list[Manifest],
) -> None:
    # The comparisons above must be able to fail: let toppings call bodies.
    toppings_out = {
        "podSelector": {"matchLabels": {"app.kubernetes.io/name": "toppings"}},
        "policyTypes": ["Egress"],
        "egress": [
            {"to": [{"podSelector": {"matchLabels": {"app.kubernetes.io/name": "bodies"}}}]}
        ],
    }
    bodies_in = {
        "podSelector": {"matchLabels": {"app.kubernetes.io/name": "bodies"}},
        "policyTypes": ["Ingress"],
        "ingress": [{}],  # from anywhere, on any port
    }
    one_end = _with_policy(local_manifests, "toppings-egress", toppings_out)
    assert ("toppings", "bodies") not in allowed_calls(one_end)
    both_ends = _with_policy(one_end, "bodies-ingress", bodies_in)
    assert ("toppings", "bodies") in allowed_calls(both_ends)
    assert ("toppings", "toppings-db") not in allowed_calls(both_ends)


def test_outside_peers_reach_only_what_the_graph_says(local_manifests: list[Manifest]) -> None:
    outside = {peer.node for peer in OUTSIDE}
    calls = allowed_calls(local_manifests)
    assert {(a, b) for a, b in calls if a in outside} == BROWSER_CALLS
    assert {b for a, b in calls if b in outside} == {"dns"}
