"""The properties of the rendered manifests that matter when the lab runs on a cluster."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.deploy.design import SERVICE_NAMES, spec_of
from tests.deploy.kustomize import Manifest, env_file_keys, named, of_kind
from tests.deploy.paths import K8S_BASE
from tests.deploy.quantities import quantity
from tests.deploy.workloads import PodKind, containers, env_of, labels_match, pod_kinds

PROBES = {"startupProbe": "/healthz", "livenessProbe": "/healthz", "readinessProbe": "/readyz"}


def server_container(manifests: list[Manifest], service: str) -> dict[str, Any]:
    """The container of the Deployment ``service``."""
    deployment = named(manifests, "Deployment", service)
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    found: dict[str, Any] = container
    return found


def config_value(manifests: list[Manifest], container: dict[str, Any], variable: str) -> str:
    """The value ``variable`` gets in ``container``: literal, or from the rendered ConfigMap."""
    entry = env_of(container)[variable]
    if "value" in entry:
        return str(entry["value"])
    ref = entry["valueFrom"]["configMapKeyRef"]
    return str(named(manifests, "ConfigMap", ref["name"])["data"][ref["key"]])


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_each_service_probes_its_own_health_endpoints_on_its_port(
    rendering: tuple[str, list[Manifest]], service: str
) -> None:
    _, manifests = rendering
    container = server_container(manifests, service)
    (port,) = container["ports"]
    assert port["containerPort"] == spec_of(service).default_port
    for probe, path in PROBES.items():
        http = container[probe]["httpGet"]
        assert (http["path"], http["port"]) == (path, port["name"]), probe


def test_bodies_probes_send_a_host_django_accepts(rendering: tuple[str, list[Manifest]]) -> None:
    # The kubelet's Host header is the pod's IP, which DJANGO_ALLOWED_HOSTS cannot list.
    _, manifests = rendering
    container = server_container(manifests, "bodies")
    allowed = config_value(manifests, container, "DJANGO_ALLOWED_HOSTS").split(",")
    for probe in PROBES:
        headers = {h["name"]: h["value"] for h in container[probe]["httpGet"]["httpHeaders"]}
        assert headers["Host"] in allowed, probe


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_each_service_serves_on_all_addresses_of_its_pod_without_chaos(
    rendering: tuple[str, list[Manifest]], service: str
) -> None:
    _, manifests = rendering
    container = server_container(manifests, service)
    assert config_value(manifests, container, "GRANIAN_HOST") == "0.0.0.0"
    port = config_value(manifests, container, "GRANIAN_PORT")
    assert int(port) == container["ports"][0]["containerPort"]
    assert config_value(manifests, container, "CUPCAKE_CHAOS") == "0"


def test_base_runs_two_replicas_and_the_local_overlay_one(
    base_manifests: list[Manifest], local_manifests: list[Manifest]
) -> None:
    for service in SERVICE_NAMES:
        assert named(base_manifests, "Deployment", service)["spec"]["replicas"] >= 2
        assert named(local_manifests, "Deployment", service)["spec"]["replicas"] == 1


def test_every_container_has_requests_within_its_limits(
    rendering: tuple[str, list[Manifest]],
) -> None:
    _, manifests = rendering
    for pod in pod_kinds(manifests):
        for container in containers(pod):
            resources = container["resources"]
            for resource in ("cpu", "memory"):
                request = quantity(resources["requests"][resource])
                limit = quantity(resources["limits"][resource])
                assert 0 < request <= limit, f"{pod.node}/{container['name']} {resource}"


def _assert_locked_down(pod: PodKind) -> None:
    security = pod.spec["securityContext"]
    assert security["runAsNonRoot"] is True
    assert security.get("runAsUser", 0) != 0
    assert security["seccompProfile"]["type"] == "RuntimeDefault"
    assert pod.spec["automountServiceAccountToken"] is False
    volumes = {volume["name"]: volume for volume in pod.spec.get("volumes", [])}
    for container in containers(pod):
        context = container["securityContext"]
        assert context["allowPrivilegeEscalation"] is False
        assert context["capabilities"]["drop"] == ["ALL"]
        assert context["readOnlyRootFilesystem"] is True
        mounts = {mount["mountPath"]: mount["name"] for mount in container["volumeMounts"]}
        # A read-only root leaves Python and PostgreSQL somewhere to write temporary files.
        assert "emptyDir" in volumes[mounts["/tmp"]]


def test_every_pod_runs_as_non_root_read_only_without_privileges(
    rendering: tuple[str, list[Manifest]],
) -> None:
    _, manifests = rendering
    pods = pod_kinds(manifests)
    assert {pod.node for pod in pods} >= set(SERVICE_NAMES)
    for pod in pods:
        _assert_locked_down(pod)


def test_every_service_selects_the_server_pods_of_one_workload(
    rendering: tuple[str, list[Manifest]],
) -> None:
    _, manifests = rendering
    pods = pod_kinds(manifests)
    for service in of_kind(manifests, "Service"):
        selected = [pod for pod in pods if labels_match(service["spec"]["selector"], pod.labels)]
        name = service["metadata"]["name"]
        assert [pod.node for pod in selected] == [name], name
        for port in service["spec"]["ports"]:
            assert port["targetPort"] in selected[0].port_names, name
            assert selected[0].port_names[port["targetPort"]] == port["port"], name


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_each_service_has_a_service_and_a_disruption_budget(
    rendering: tuple[str, list[Manifest]], service: str
) -> None:
    name, manifests = rendering
    assert named(manifests, "Service", service)["spec"]["ports"][0]["port"] == (
        spec_of(service).default_port
    )
    budget = named(manifests, "PodDisruptionBudget", service)["spec"]
    deployment = named(manifests, "Deployment", service)
    assert labels_match(
        budget["selector"]["matchLabels"], deployment["spec"]["template"]["metadata"]["labels"]
    )
    if name == "base":
        assert budget["minAvailable"] == 1 < deployment["spec"]["replicas"]
    else:  # one replica: a budget of minAvailable 1 would block every node drain
        assert budget == {"maxUnavailable": 1, "selector": budget["selector"]}


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_each_service_migrates_in_a_job_of_its_own_image_and_database(
    rendering: tuple[str, list[Manifest]], service: str
) -> None:
    _, manifests = rendering
    job = named(manifests, "Job", f"{service}-migrate")
    (migrate,) = job["spec"]["template"]["spec"]["containers"]
    server = server_container(manifests, service)
    assert migrate["command"] == list(spec_of(service).migrate)
    assert migrate["image"] == server["image"]
    assert env_of(migrate)["DATABASE_URL"] == env_of(server)["DATABASE_URL"]
    # Gone once done, so that the next `kubectl apply -k` runs the migrations again.
    assert job["spec"]["ttlSecondsAfterFinished"] > 0


def test_images_are_the_services_own_and_tagged_dev_in_the_local_overlay(
    base_manifests: list[Manifest], local_manifests: list[Manifest]
) -> None:
    for service in SERVICE_NAMES:
        base_image = server_container(base_manifests, service)["image"]
        assert base_image.startswith(f"cupcake-{service}:") and not base_image.endswith(":latest")
        assert server_container(local_manifests, service)["image"] == f"cupcake-{service}:dev"


def _references(manifests: list[Manifest], kind: str) -> set[tuple[str, str]]:
    ref_key = {"ConfigMap": "configMapKeyRef", "Secret": "secretKeyRef"}[kind]
    found = set()
    for pod in pod_kinds(manifests):
        for container in containers(pod):
            for entry in container.get("env", []):
                ref = entry.get("valueFrom", {}).get(ref_key)
                if ref:
                    found.add((ref["name"], ref["key"]))
    return found


def test_every_config_reference_names_a_key_of_a_rendered_config_map(
    rendering: tuple[str, list[Manifest]],
) -> None:
    _, manifests = rendering
    references = _references(manifests, "ConfigMap")
    assert references
    for name, key in references:
        assert key in named(manifests, "ConfigMap", name)["data"], (name, key)


def test_every_secret_reference_names_a_key_the_secret_gets(
    base_manifests: list[Manifest], local_manifests: list[Manifest]
) -> None:
    # Base leaves the Secret to `kubectl create secret` from its documented keys.
    documented = set(env_file_keys(K8S_BASE / "secrets.env.example"))
    base_references = _references(base_manifests, "Secret")
    assert {name for name, _ in base_references} == {"cupcake-secrets"}
    assert {key for _, key in base_references} <= documented
    assert of_kind(base_manifests, "Secret") == []
    for name, key in _references(local_manifests, "Secret"):
        assert key in named(local_manifests, "Secret", name)["data"], (name, key)


def test_the_peer_urls_name_the_peers_services_and_ports(
    rendering: tuple[str, list[Manifest]],
) -> None:
    _, manifests = rendering
    for service in SERVICE_NAMES:
        container = server_container(manifests, service)
        for variable in env_of(container):
            if variable.endswith("_URL") and variable not in ("PUBLIC_URL", "DATABASE_URL"):
                peer = variable.removesuffix("_URL").lower()
                url = urlsplit(config_value(manifests, container, variable))
                assert (url.hostname, url.port) == (peer, spec_of(peer).default_port)
                named(manifests, "Service", peer)


def test_base_serves_the_browser_through_one_ingress_host(base_manifests: list[Manifest]) -> None:
    (ingress,) = of_kind(base_manifests, "Ingress")
    (rule,) = ingress["spec"]["rules"]
    routed = {path["backend"]["service"]["name"] for path in rule["http"]["paths"]}
    assert routed == set(SERVICE_NAMES)
    for service in SERVICE_NAMES:
        container = server_container(base_manifests, service)
        # image_url is PUBLIC_URL + /api/v1/<plural>/...: the browser must reach it.
        public = urlsplit(config_value(base_manifests, container, "PUBLIC_URL"))
        assert public.hostname == rule["host"]
        path = f"/api/v1/{service}/x/image.svg"
        longest = max(
            (p for p in rule["http"]["paths"] if path.startswith(p["path"])),
            key=lambda p: len(p["path"]),
        )
        assert longest["backend"]["service"]["name"] == service
    allowed = config_value(
        base_manifests, server_container(base_manifests, "bodies"), "DJANGO_ALLOWED_HOSTS"
    )
    assert rule["host"] in allowed.split(",")


def test_the_ingress_gives_each_client_a_fair_share_and_buffers_requests(
    base_manifests: list[Manifest],
) -> None:
    (ingress,) = of_kind(base_manifests, "Ingress")
    annotations = ingress["metadata"]["annotations"]
    prefix = "nginx.ingress.kubernetes.io/"
    assert int(annotations[prefix + "limit-connections"]) > 0
    assert int(annotations[prefix + "limit-rps"]) > 0
    assert annotations[prefix + "proxy-request-buffering"] == "on"
    # Longer than the front door's deadline (1 s): a slow answer is the services' to cut.
    for timeout in ("proxy-send-timeout", "proxy-read-timeout"):
        assert int(annotations[prefix + timeout]) > 1


def test_the_local_overlay_serves_each_service_on_its_forwarded_port(
    local_manifests: list[Manifest],
) -> None:
    assert of_kind(local_manifests, "Ingress") == []
    for service in SERVICE_NAMES:
        container = server_container(local_manifests, service)
        public = urlsplit(config_value(local_manifests, container, "PUBLIC_URL"))
        assert (public.hostname, public.port) == ("127.0.0.1", spec_of(service).default_port)


@pytest.mark.parametrize("service", SERVICE_NAMES)
def test_the_local_overlay_gives_each_service_its_own_postgresql(
    local_manifests: list[Manifest], service: str
) -> None:
    database = named(local_manifests, "StatefulSet", f"{service}-db")
    (postgres,) = database["spec"]["template"]["spec"]["containers"]
    assert postgres["image"] == "postgres:16"
    env = env_of(postgres)
    secret_ref = env_of(server_container(local_manifests, service))["DATABASE_URL"]["valueFrom"]
    secret = named(local_manifests, "Secret", secret_ref["secretKeyRef"]["name"])
    url = urlsplit(_decoded(secret["data"][secret_ref["secretKeyRef"]["key"]]))
    assert url.scheme == "postgresql"
    assert url.hostname == database["spec"]["serviceName"] == f"{service}-db"
    assert url.username == env["POSTGRES_USER"]["value"] == service
    assert url.path == f"/{env['POSTGRES_DB']['value']}"
    password_key = env["POSTGRES_PASSWORD"]["valueFrom"]["secretKeyRef"]["key"]
    assert url.password == _decoded(secret["data"][password_key])
    assert "pg_isready" in postgres["readinessProbe"]["exec"]["command"]
    named(local_manifests, "Service", f"{service}-db")


def _decoded(value: str) -> str:
    return base64.b64decode(value).decode()
