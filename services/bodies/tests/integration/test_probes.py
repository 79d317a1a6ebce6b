"""Probes and the migrate command: /healthz, /readyz, bodies-manage migrate."""

import sys

import pytest
from django.test import Client

from bodies.manage import main as bodies_manage
from integration.helpers import SEEDED_CATALOGUE, catalogue_rows

pytestmark = pytest.mark.integration


def test_healthz_says_ok(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_readyz_is_ok_on_a_migrated_database(client: Client, backend: str) -> None:
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    # It also checks its database takes writes, and on SQLite that its disk has room for them.
    storage = {"writable": "ok", "disk": "ok"} if backend == "sqlite" else {"writable": "ok"}
    assert {name: check["status"] for name, check in response.json()["checks"].items()} == {
        "database": "ok",
        "migrations": "ok",
        **storage,
    }


def test_readyz_is_503_while_migrations_are_not_applied(unmigrated_database: str) -> None:
    response = Client().get("/readyz")

    checks = response.json()["checks"]
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["status"] == "fail"
    assert checks["database"]["status"] == "ok"
    assert checks["migrations"]["status"] == "fail"
    assert "catalogue.0002_seed_bodies" in checks["migrations"]["detail"]


def test_readyz_is_503_when_the_database_cannot_be_reached(unreachable_database: None) -> None:
    response = Client().get("/readyz")

    checks = response.json()["checks"]
    assert response.status_code == 503
    assert checks["database"]["status"] == "fail"
    assert checks["database"]["detail"].startswith("OperationalError")
    assert checks["migrations"]["status"] == "fail"


def test_bodies_manage_migrate_builds_and_seeds_a_fresh_database(
    unmigrated_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "argv", ["bodies-manage", "migrate", "--noinput", "-v", "0"])

    bodies_manage()

    assert [row[:2] for row in catalogue_rows()] == SEEDED_CATALOGUE
    assert Client().get("/readyz").status_code == 200
