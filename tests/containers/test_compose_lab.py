"""The lab of deploy/compose.yaml as real containers on PostgreSQL: it composes, bakes and
keeps what it baked; it survives a killed service and a restarted database; its containers
run as non-root users and pass their health checks."""

from __future__ import annotations

import httpx
import pytest

from tests.containers.base_images import Podman
from tests.containers.compose_lab import ComposeLab
from tests.containers.figures import figure_note, seconds_since_start
from tests.e2e.conftest import wait_until

FULL = {"body": "vanilla", "frosting": "chocolate", "topping": "cherry"}
SERVICES = ("bodies", "frostings", "toppings")
DOWN = ("degraded", "unavailable")


def composed(lab: ComposeLab) -> dict[str, object]:
    """A composition of the full cupcake, asked of bodies from the host."""
    answer = httpx.get(f"{lab.url('bodies')}/api/v1/cupcake", params=FULL, timeout=10)
    assert answer.status_code == 200, answer.text
    body: dict[str, object] = answer.json()
    return body


def status_of(composition: dict[str, object], service: str) -> str:
    """The status a composition gives ``service``."""
    services = composition["services"]
    assert isinstance(services, dict)
    return str(services[service]["status"])


def baked(lab: ComposeLab) -> dict[str, object]:
    """Bake the full cupcake; its record as bodies acknowledged it."""
    answer = httpx.post(f"{lab.url('bodies')}/api/v1/cupcakes", json=FULL, timeout=10)
    assert answer.status_code == 201, answer.text
    record: dict[str, object] = answer.json()
    return record


def gallery_ids(lab: ComposeLab) -> set[object]:
    """The ids of every cupcake in the gallery's first page."""
    answer = httpx.get(f"{lab.url('bodies')}/api/v1/cupcakes", timeout=10)
    assert answer.status_code == 200, answer.text
    return {item["id"] for item in answer.json()["items"]}


def test_a_full_cupcake_is_composed_baked_and_found_in_the_gallery(
    compose_lab: ComposeLab, pytestconfig: pytest.Config
) -> None:
    composition = composed(compose_lab)
    figure_note(
        pytestconfig, "first composed cupcake", f"{seconds_since_start(pytestconfig):.1f} s "
        "after the run began"
    )  # fmt: skip
    assert {service: status_of(composition, service) for service in SERVICES} == dict.fromkeys(
        SERVICES, "ok"
    )
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

    def bakes_again() -> bool:
        answer = httpx.post(f"{compose_lab.url('bodies')}/api/v1/cupcakes", json=FULL, timeout=10)
        if answer.status_code == 201:
            acknowledged.add(answer.json()["id"])
        return answer.status_code == 201

    wait_until(bakes_again, timeout=30)
    assert acknowledged <= gallery_ids(compose_lab)
