"""Liveness, readiness and the migrations themselves."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from apiflask import APIFlask
from flask.testing import FlaskClient
from flask_migrate import downgrade, upgrade

from frostings.extensions import MIGRATIONS_DIR, db


def test_healthz_says_the_process_is_alive(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_readyz_is_ok_on_a_migrated_database(client: FlaskClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {"status": "ok"}
    assert body["checks"]["migrations"]["status"] == "ok"
    assert body["checks"]["migrations"]["current"] == body["checks"]["migrations"]["head"]
    assert body["checks"]["writable"]["status"] == "ok"  # on SQLite and PostgreSQL alike


def test_a_readiness_probe_logs_nothing_of_its_own(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        assert client.get("/readyz").status_code == 200

    # Probes come every few seconds: only the access log may speak of them.
    assert [r.name for r in caplog.records if r.name != "cupcake.access"] == []


def test_readyz_is_503_while_migrations_are_not_applied(
    make_app: Callable[..., APIFlask],
) -> None:
    client = make_app().test_client()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    body = response.get_json()
    assert body["status"] == "fail"
    assert body["checks"]["database"] == {"status": "ok"}
    assert body["checks"]["migrations"]["status"] == "fail"
    assert body["checks"]["migrations"]["current"] == []
    assert client.get("/healthz").status_code == 200


def test_readyz_is_503_when_the_database_cannot_be_reached(
    make_app: Callable[..., APIFlask], unreachable_database_url: str
) -> None:
    app = make_app(SQLALCHEMY_DATABASE_URI=unreachable_database_url)
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    checks = response.get_json()["checks"]
    assert checks["database"]["status"] == "fail"
    assert "OperationalError" in checks["database"]["detail"]
    assert checks["migrations"]["status"] == "fail"


def test_the_migrations_build_exactly_the_models_schema(app: APIFlask) -> None:
    with app.app_context(), db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []


def test_the_migrations_go_down_and_up_again(app: APIFlask) -> None:
    with app.app_context():
        downgrade(directory=str(MIGRATIONS_DIR), revision="base")
        upgrade(directory=str(MIGRATIONS_DIR))
    slugs = [
        item["slug"] for item in app.test_client().get("/api/v1/frostings").get_json()["items"]
    ]
    assert slugs == ["chocolate", "neon-blue", "strawberry", "vanilla"]
