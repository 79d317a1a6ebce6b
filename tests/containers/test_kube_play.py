"""The rendered deploy/k8s overlay played with ``podman kube play``: the Deployments, the
ConfigMap and the Secret, the migration Jobs and the databases (as pods), on PostgreSQL.

Against the played pods: a cupcake composed across the three services by their Service names,
baked and found in the gallery; every container as its manifest's security context says (user,
read-only root, no capabilities, no privilege escalation, a seccomp filter) with its memory
limit, passing the probes the manifest gives it; a deleted toppings pod degrading the
composition and its replay recovering it; a deleted database pod replayed on its claim, losing
no acknowledged cupcake.
"""

from __future__ import annotations

import re

from tests.containers.base_images import Podman
from tests.containers.cupcakes import SERVICES, bake_tried, baked, gallery_ids, statuses
from tests.containers.kube_play import KubeLab
from tests.e2e.conftest import wait_until

MEBIBYTE = 1024 * 1024


def test_the_played_overlay_composes_a_cupcake_bakes_it_and_finds_it_in_the_gallery(
    kube_lab: KubeLab,
) -> None:
    assert statuses(kube_lab) == dict.fromkeys(SERVICES, "ok")
    cupcake = baked(kube_lab)
    assert cupcake["id"] in gallery_ids(kube_lab)


def test_every_migration_job_ran_to_completion(kube_lab: KubeLab) -> None:
    for job in kube_lab.played.migrations:
        for container in job.containers:
            assert kube_lab.state(container) == ("exited", 0), container


def test_every_container_runs_as_its_security_context_says_and_passes_its_probes(
    kube_lab: KubeLab, podman: Podman
) -> None:
    for workload in [*kube_lab.played.databases, *kube_lab.played.servers]:
        security = workload.spec["securityContext"]
        for container, spec in workload.containers.items():
            status = _process_status(podman, container)
            assert status["Uid"].split()[0] == str(security["runAsUser"]) != "0", container
            assert status["Gid"].split()[0] == str(security["runAsGroup"]), container
            assert int(status["CapEff"], 16) == 0, (container, status["CapEff"])
            assert status["NoNewPrivs"] == "1", container
            assert status["Seccomp"] == "2", container  # a filter: RuntimeDefault's profile
            written = podman.run("exec", container, "touch", "/written-by-the-test", check=False)
            assert "Read-only file system" in written.stderr, (container, written.stderr)
            limit = podman.run("inspect", "--format", "{{.HostConfig.Memory}}", container)
            assert int(limit.stdout) == _bytes(spec["resources"]["limits"]["memory"]), container
            for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
                passes = probe not in spec or kube_lab.probe_passes(
                    workload, container, spec[probe]
                )
                assert passes, (container, probe)


def test_a_deleted_toppings_pod_degrades_the_composition_and_its_replay_recovers(
    kube_lab: KubeLab,
) -> None:
    toppings = kube_lab.workload("toppings")
    kube_lab.remove(toppings)
    wait_until(lambda: statuses(kube_lab)["toppings"] in ("degraded", "unavailable"), timeout=30)
    assert statuses(kube_lab)["bodies"] == "ok"

    kube_lab.play(toppings)
    kube_lab.probes_wait(toppings, "readinessProbe")
    wait_until(lambda: statuses(kube_lab) == dict.fromkeys(SERVICES, "ok"), timeout=30)


def test_a_deleted_database_pod_replayed_on_its_claim_loses_no_acknowledged_cupcake(
    kube_lab: KubeLab,
) -> None:
    acknowledged = {baked(kube_lab)["id"] for _ in range(3)}
    database = kube_lab.workload("bodies-db")

    kube_lab.remove(database)
    kube_lab.play(database)
    kube_lab.probes_wait(database, "readinessProbe")

    wait_until(lambda: bake_tried(kube_lab, acknowledged), timeout=30)
    assert acknowledged <= gallery_ids(kube_lab)


def _process_status(podman: Podman, container: str) -> dict[str, str]:
    """The fields of /proc/1/status in ``container``: its main process."""
    shown = podman.run("exec", container, "cat", "/proc/1/status").stdout
    return dict(re.findall(r"^(\w+):\s*(.*)$", shown, re.MULTILINE))


def _bytes(quantity: str) -> int:
    """A Kubernetes memory quantity in Mi or Gi, in bytes."""
    number, unit = re.fullmatch(r"(\d+)(Mi|Gi)", quantity).groups()  # type: ignore[union-attr]
    return int(number) * MEBIBYTE * (1024 if unit == "Gi" else 1)
