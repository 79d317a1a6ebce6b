"""Secure by default: CORS for listed origins only, SQLite durability, no token in the logs."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

import pytest
from apiflask import APIFlask
from sqlalchemy import text

from frostings.extensions import db

SHOP = "https://shop.example"


def preflight(app: APIFlask, origin: str) -> Any:
    """The browser's question before a cross-origin write."""
    return app.test_client().options(
        "/api/v1/frostings",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )


def test_a_preflight_from_a_listed_origin_is_allowed_without_credentials(
    migrated_app: Callable[..., APIFlask],
) -> None:
    app = migrated_app(CORS_ALLOWED_ORIGINS=(SHOP,))

    response = preflight(app, SHOP)
    read = app.test_client().get("/api/v1/frostings", headers={"Origin": SHOP})

    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == SHOP
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert read.headers["Access-Control-Allow-Origin"] == SHOP


def test_a_preflight_from_another_origin_is_refused(
    migrated_app: Callable[..., APIFlask],
) -> None:
    app = migrated_app(CORS_ALLOWED_ORIGINS=(SHOP,))

    response = preflight(app, "https://evil.example")

    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert "Access-Control-Allow-Origin" not in response.headers


def test_by_default_no_origin_is_allowed(app: APIFlask) -> None:
    response = preflight(app, SHOP)
    read = app.test_client().get("/api/v1/frostings", headers={"Origin": SHOP})

    assert app.config["CORS_ALLOWED_ORIGINS"] == ()
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Access-Control-Allow-Origin" not in read.headers


@pytest.mark.skipif(bool(os.environ.get("CUPCAKE_TEST_DATABASE_URL")), reason="SQLite only")
def test_the_real_connection_runs_in_wal_mode_with_a_busy_timeout(
    app: APIFlask, backend: str
) -> None:
    if backend != "sqlite":
        pytest.skip("SQLite's own settings: PostgreSQL logs ahead of writing by itself")
    with app.app_context(), db.engine.connect() as connection:
        assert connection.scalar(text("PRAGMA journal_mode")) == "wal"
        assert connection.scalar(text("PRAGMA busy_timeout")) == 5000


def test_the_token_never_reaches_the_log_right_or_wrong(
    app: APIFlask, admin: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    client = app.test_client()
    token = admin["Authorization"].removeprefix("Bearer ")
    wrong = "wrong-" + token
    lemon = {"slug": "lemon", "name": "Lemon", "color": "#ffee00"}
    with caplog.at_level(logging.DEBUG):
        assert client.post("/api/v1/frostings", json=lemon, headers=admin).status_code == 201
        client.delete("/api/v1/frostings/lemon", headers={"Authorization": f"Bearer {wrong}"})
        client.delete("/api/v1/frostings/lemon", headers={"Authorization": token})

    assert caplog.records
    assert token not in caplog.text
    assert wrong not in caplog.text
