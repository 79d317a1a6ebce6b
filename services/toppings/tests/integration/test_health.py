"""Liveness, readiness and the OpenAPI document over HTTP."""

from __future__ import annotations

from collections.abc import Callable

import yaml
from webtest import TestApp

from toppings.openapi import openapi_document


def test_healthz_says_ok(testapp: TestApp) -> None:
    response = testapp.get("/healthz")
    assert response.json == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_is_200_when_the_database_is_migrated(testapp: TestApp, backend: str) -> None:
    response = testapp.get("/readyz")
    checks = response.json["checks"]
    assert response.json["status"] == "ok"
    assert checks["database"] == {"status": "ok"}
    assert checks["migrations"] == {"status": "ok"}
    # It also checks its database takes writes, and on SQLite that its disk has room for them.
    storage = {"writable", "disk"} if backend == "sqlite" else {"writable"}
    assert set(checks) == {"database", "migrations", *storage}
    assert all(checks[name]["status"] == "ok" for name in storage)


def test_readyz_is_503_on_a_database_without_migrations(
    testapp: TestApp, use_database: Callable[[str], None], unmigrated_database_url: str
) -> None:
    use_database(unmigrated_database_url)
    response = testapp.get("/readyz", status=503)
    assert response.headers["Retry-After"] == "5"
    assert response.json["status"] == "fail"
    assert response.json["checks"]["database"] == {"status": "ok"}
    migrations = response.json["checks"]["migrations"]
    assert migrations["status"] == "fail"
    assert "no revision" in migrations["detail"] and "0004" in migrations["detail"]


def test_readyz_is_503_when_the_database_is_unreachable(
    testapp: TestApp, use_database: Callable[[str], None], unreachable_database_url: str
) -> None:
    use_database(unreachable_database_url)
    response = testapp.get("/readyz", status=503)
    assert response.headers["Retry-After"] == "5"
    checks = response.json["checks"]
    assert checks["database"]["status"] == "fail"
    assert checks["database"]["detail"].startswith("OperationalError: ")
    assert checks["migrations"]["status"] == "fail"


def test_the_openapi_document_is_served_as_json(testapp: TestApp) -> None:
    response = testapp.get("/api/v1/openapi.json")
    assert response.json == openapi_document()
    assert response.json["openapi"].startswith("3.")
    testapp.get(
        "/api/v1/openapi.json", headers={"If-None-Match": response.headers["ETag"]}, status=304
    )


def test_the_openapi_source_is_served_as_yaml(testapp: TestApp) -> None:
    response = testapp.get("/api/v1/openapi.yaml")
    assert yaml.safe_load(response.text) == openapi_document()
