"""The rendered local overlay as the container suite plays it with ``podman kube play``
(tests/containers/kube_play.py), checked offline: every object has a rule, and each rule
keeps what Kubernetes would give the pods."""

from __future__ import annotations

import copy
import itertools

import pytest

from tests.containers.kube_play import NOT_PLAYED, KubePlayError, Played, translated
from tests.deploy.kustomize import Manifest, named

PROJECT = "cupcake-kp-test"
FIRST_PORT = 41000


@pytest.fixture(scope="module")
def played(local_manifests: list[Manifest]) -> Played:
    ports = itertools.count(FIRST_PORT)
    return translated(local_manifests, project=PROJECT, images={"postgres:16": "pg:local"},
                      port=lambda: next(ports))  # fmt: skip


def _played_documents(played: Played) -> list[Manifest]:
    return [document for workload in played.workloads() for document in workload.documents]


def test_a_kind_with_no_rule_is_refused_not_dropped(local_manifests: list[Manifest]) -> None:
    unknown = {"apiVersion": "v1", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "x"}}
    with pytest.raises(KubePlayError, match="HorizontalPodAutoscaler"):
        translated([*local_manifests, unknown], project=PROJECT, images={})


def test_the_overlay_itself_is_left_as_rendered(local_manifests: list[Manifest]) -> None:
    before = copy.deepcopy(local_manifests)
    translated(local_manifests, project=PROJECT, images={"postgres:16": "pg:local"})
    assert local_manifests == before


def test_every_workload_is_played_as_a_pod_or_a_deployment_of_the_run(
    played: Played, local_manifests: list[Manifest]
) -> None:
    kinds = {m["kind"] for m in local_manifests}
    assert {w.name for w in played.databases} == {
        m["metadata"]["name"] for m in local_manifests if m["kind"] == "StatefulSet"
    }
    assert {w.name for w in played.migrations} == {
        m["metadata"]["name"] for m in local_manifests if m["kind"] == "Job"
    }
    assert {w.name for w in played.servers} == {"bodies", "frostings", "toppings"}
    assert {d["kind"] for d in _played_documents(played)} == {"Pod", "Deployment"}
    assert all(d["metadata"]["name"].startswith(f"{PROJECT}-") for d in _played_documents(played))
    assert set(played.not_played) == kinds & set(NOT_PLAYED)
    assert played.databases[0].pod == f"{PROJECT}-{played.databases[0].name}-0"
    assert played.servers[0].pod == f"{PROJECT}-{played.servers[0].name}-pod-0"


def test_services_become_the_dns_aliases_of_the_pods_they_select(played: Played) -> None:
    aliases = {w.name: w.aliases for w in played.workloads()}
    assert aliases["bodies"] == ["bodies"]
    assert aliases["toppings-db"] == ["toppings-db"]
    # Migration pods carry the service's name label, but no Service selects their component.
    assert aliases["bodies-migrate"] == []


def test_every_container_port_is_published_on_loopback_only_at_a_port_of_the_run(
    played: Played,
) -> None:
    published = [
        port
        for workload in played.workloads()
        for container in workload.spec["containers"]
        for port in container.get("ports", [])
    ]
    assert published, "the overlay publishes no port"
    assert {port["hostIP"] for port in published} == {"127.0.0.1"}
    assert sorted(port["hostPort"] for port in published) == list(
        range(FIRST_PORT, FIRST_PORT + len(published))
    )


def test_no_empty_dir_is_left_and_each_becomes_a_claim_of_its_pod_owned_by_its_user(
    played: Played,
) -> None:
    for workload in played.workloads():
        volumes = workload.spec.get("volumes", [])
        assert not [v for v in volumes if "emptyDir" in v], workload.name
        security = workload.spec["securityContext"]
        for claim in workload.scratch:
            assert claim["metadata"]["name"].startswith(workload.documents[0]["metadata"]["name"])
            annotations = claim["metadata"]["annotations"]
            assert annotations["volume.podman.io/uid"] == str(security["runAsUser"])
            assert annotations["volume.podman.io/gid"] == str(
                security.get("fsGroup", security["runAsGroup"])
            )


def test_a_statefulset_claim_is_named_as_kubernetes_names_it_and_owned_by_its_fs_group(
    played: Played, local_manifests: list[Manifest]
) -> None:
    statefulset = named(local_manifests, "StatefulSet", "bodies-db")
    claim_names = {c["metadata"]["name"]: c for c in played.claims}
    claim = claim_names[f"{PROJECT}-data-bodies-db-0"]
    fs_group = statefulset["spec"]["template"]["spec"]["securityContext"]["fsGroup"]
    assert claim["metadata"]["annotations"]["volume.podman.io/gid"] == str(fs_group)
    pod_volumes = {v["name"]: v for v in played.databases[0].spec["volumes"]}
    assert pod_volumes["data"] == {"name": "data", "persistentVolumeClaim": {
        "claimName": f"{PROJECT}-data-bodies-db-0"}}  # fmt: skip


def test_secrets_keep_their_data_under_the_run_s_name_and_every_reference_follows(
    played: Played, local_manifests: list[Manifest]
) -> None:
    secret = next(m for m in local_manifests if m["kind"] == "Secret")
    renamed = f"{PROJECT}-{secret['metadata']['name']}"
    assert played.secrets == {renamed: secret["data"]}
    references = [
        variable["valueFrom"]["secretKeyRef"]["name"]
        for workload in played.workloads()
        for container in workload.spec["containers"]
        for variable in container.get("env", [])
        if "secretKeyRef" in variable.get("valueFrom", {})
    ]
    assert references and set(references) == {renamed}


def test_images_are_substituted_by_name_only(played: Played) -> None:
    images = {c["image"] for w in played.workloads() for c in w.spec["containers"]}
    assert images == {"pg:local", "cupcake-bodies:dev", "cupcake-frostings:dev",
                      "cupcake-toppings:dev"}  # fmt: skip
