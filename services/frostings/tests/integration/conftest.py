"""The real app on a real database per test, built by the real migrations.

The database is a fresh SQLite file in ``tmp_path``, a copy of one migrated once per
session by the real migrations; set ``CUPCAKE_TEST_DATABASE_URL`` to run the same tests
on another database (it is emptied and migrated again before each test).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from apiflask import APIFlask
from flask.testing import FlaskClient
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from frostings import create_app
from frostings.extensions import MIGRATIONS_DIR, db

ADMIN_TOKEN = "test-admin-token"
PUBLIC_URL = "http://frostings.test"
TABLES = ("frostings", "frosting_bodies", "frosting_toppings")


EXTERNAL_DATABASE_URL = os.environ.get("CUPCAKE_TEST_DATABASE_URL")


@pytest.fixture
def database_path(tmp_path: Path) -> Path:
    """Where this test's SQLite database file lives."""
    return tmp_path / "frostings.sqlite3"


@pytest.fixture
def database_url(database_path: Path) -> str:
    """A database of this test's own: CUPCAKE_TEST_DATABASE_URL, else a SQLite file."""
    return EXTERNAL_DATABASE_URL or f"sqlite:///{database_path}"


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file brought to head once by the real migrations, copied by each test."""
    path = tmp_path_factory.mktemp("template") / "frostings.sqlite3"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR))
        db.engine.dispose()
    return path


@pytest.fixture
def make_app(database_url: str, peers_fake: Any) -> Iterator[Callable[..., APIFlask]]:
    """Build the app on the test database (not migrated), with config overrides."""
    built: list[APIFlask] = []

    def make(**overrides: Any) -> APIFlask:
        config = {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "CUPCAKE_ADMIN_TOKEN": ADMIN_TOKEN,
            "PUBLIC_URL": PUBLIC_URL,
            "BODIES_URL": peers_fake.bodies_url,
            "TOPPINGS_URL": peers_fake.toppings_url,
            "PEER_TRANSPORT": peers_fake.transport(),
            **overrides,
        }
        app = create_app(config)
        if EXTERNAL_DATABASE_URL and not built:
            with app.app_context():
                downgrade(directory=str(MIGRATIONS_DIR), revision="base")
        built.append(app)
        return app

    yield make
    for app in built:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def migrate_app() -> Callable[[APIFlask], APIFlask]:
    """Apply the real migrations (schema and seed data) to an app's database."""

    def apply(app: APIFlask) -> APIFlask:
        with app.app_context():
            upgrade(directory=str(MIGRATIONS_DIR))
        return app

    return apply


@pytest.fixture
def migrated_app(
    make_app: Callable[..., APIFlask],
    migrate_app: Callable[[APIFlask], APIFlask],
    migrated_template: Path,
    database_path: Path,
) -> Callable[..., APIFlask]:
    """Build the app, with config overrides, on a freshly migrated database (call it once)."""

    def build(**overrides: Any) -> APIFlask:
        if EXTERNAL_DATABASE_URL:
            return migrate_app(make_app(**overrides))
        shutil.copyfile(migrated_template, database_path)
        return make_app(**overrides)

    return build


@pytest.fixture
def app(migrated_app: Callable[..., APIFlask]) -> APIFlask:
    """The app on a freshly migrated database holding the seeded catalogue."""
    return migrated_app()


@pytest.fixture
def client(app: APIFlask) -> FlaskClient:
    """A test client of the migrated app."""
    return app.test_client()


@pytest.fixture
def admin() -> dict[str, str]:
    """The headers of an authorised write."""
    return {"Authorization": f"Bearer {ADMIN_TOKEN}"}


@pytest.fixture
def stored(app: APIFlask) -> Callable[[], dict[str, list[tuple[Any, ...]]]]:
    """Read every row of the service's tables, to prove what a request did (not) write."""

    def read() -> dict[str, list[tuple[Any, ...]]]:
        with app.app_context():
            return {
                table: sorted(
                    tuple(row) for row in db.session.execute(text(f"SELECT * FROM {table}"))
                )
                for table in TABLES
            }

    return read
