"""The lab of deploy/compose.yaml as real containers on PostgreSQL: it composes, bakes and
keeps what it baked; it survives a killed service and a restarted database; its containers
run as non-root users and pass their health checks."""

from __future__ import annotations

import pytest

from tests.containers.base_images import Podman
from tests.containers.compose_lab import ComposeLab
from tests.containers.cupcakes import (
    DOWN,
    SERVICES,
    bake_tried,
    baked,
    composed,
    gallery_ids,
    status_of,
    statuses,
)
from tests.containers.figures import figure_note, seconds_since_start
from tests.e2e.conftest import wait_until


def test_a_full_cupcake_is_composed_baked_and_found_in_the_gallery(
    compose_lab: ComposeLab, pytestconfig: pytest.Config
) -> None:
    first = statuses(compose_lab)
    figure_note(
        pytestconfig, "first composed cupcake", f"{seconds_since_start(pytestconfig):.1f} s "
        "after the run began"
    )  # fmt: skip
    assert first == dict.fromkeys(SERVICES, "ok")
    cupcake = baked(compose_lab)
    assert cupcake["id"] in gallery_ids(compose_lab)


def test_every_container_runs_as_a_non_root_user_and_passes_its_health_check(
    compose_lab: ComposeLab, podman: Podman
) -> None:
    for service in SERVICES:
        container = compose_lab.container(service)
        uid = podman.run("exec", container, "id", "-u").stdout.strip()
        assert uid == "10001", (service, uid)
        # The image's own HEALTHCHECK, kept by the Docker image format.
        assert podman.run("healthcheck", "run", container, check=False).returncode == 0, service
    for database in (f"{service}-db" for service in SERVICES):
        # PID 1 is the server itself, as the postgres user (the entrypoint dropped root).
        owner = podman.run("exec", compose_lab.container(database), "stat", "-c", "%u", "/proc/1")
        assert owner.stdout.strip() == "999", (database, owner.stdout)
        compose_lab.healthy_wait(database, within=10)


def test_a_killed_toppings_container_degrades_the_composition_and_its_restart_recovers(
    compose_lab: ComposeLab, podman: Podman
) -> None:
    podman.run("kill", compose_lab.container("toppings"))
    wait_until(
        lambda: status_of(composed(compose_lab), "toppings") in DOWN,
        timeout=30,
    )
    composition = composed(compose_lab)
    assert status_of(composition, "bodies") == "ok"
    assert status_of(composition, "frostings") in ("ok", "degraded")

    podman.run("start", compose_lab.container("toppings"))
    compose_lab.healthy_wait("toppings")
    wait_until(
        lambda: status_of(composed(compose_lab), "toppings") == "ok",
        timeout=30,
    )


def test_a_restarted_database_container_loses_no_acknowledged_cupcake(
    compose_lab: ComposeLab, podman: Podman
) -> None:
    acknowledged = {baked(compose_lab)["id"] for _ in range(3)}

    podman.run("restart", "--time", "10", compose_lab.container("bodies-db"))
    compose_lab.healthy_wait("bodies-db")

    wait_until(lambda: bake_tried(compose_lab, acknowledged), timeout=30)
    assert acknowledged <= gallery_ids(compose_lab)
