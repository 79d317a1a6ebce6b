"""The real app on a real database per test, built by the real migrations.

The databases, on SQLite and on PostgreSQL, come from the cupcake_testing plugin
(``backend``, ``database_url``, ...); here the app is built on them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from apiflask import APIFlask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text

from cupcake_chassis.wiring import Wiring
from cupcake_testing.changes import change_signal_ready
from cupcake_testing.plugin import ServiceDatabase
from frostings import create_app
from frostings.catalogue_cache import SIGNAL_KEY
from frostings.extensions import MIGRATIONS_DIR, db

ADMIN_TOKEN = "test-admin-token"
PUBLIC_URL = "http://frostings.test"
TABLES = ("frostings", "frosting_bodies", "frosting_toppings")


def database_migrate(url: str) -> None:
    """Bring the database at ``url`` to the newest migration, as ``frostings-migrate`` does."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR))
        db.engine.dispose()


@pytest.fixture(scope="session")
def service_database() -> ServiceDatabase:
    """Frostings, migrated by Flask-Migrate (Alembic)."""
    return ServiceDatabase(name="frostings", migrate=database_migrate)


@pytest.fixture
def make_app(
    unmigrated_database_url: str, peers_fake: Any, wiring: Wiring
) -> Iterator[Callable[..., APIFlask]]:
    """Build the app on the test database (not migrated), with config overrides, its peers
    the fakes, on the test's clock."""
    built: list[APIFlask] = []

    def make(**overrides: Any) -> APIFlask:
        config = {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": unmigrated_database_url,
            "CUPCAKE_ADMIN_TOKEN": ADMIN_TOKEN,
            "PUBLIC_URL": PUBLIC_URL,
            "BODIES_URL": peers_fake.bodies_url,
            "TOPPINGS_URL": peers_fake.toppings_url,
            **overrides,
        }
        app = create_app(config, wiring=wiring)
        built.append(app)
        return app

    yield make
    for app in built:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def migrated_app(
    make_app: Callable[..., APIFlask], request: pytest.FixtureRequest
) -> Callable[..., APIFlask]:
    """Build the app, with config overrides, on a freshly migrated database (call it once)."""

    def build(**overrides: Any) -> APIFlask:
        url = request.getfixturevalue("database_url")
        return make_app(**{"SQLALCHEMY_DATABASE_URI": url, **overrides})

    return build


@pytest.fixture
def app(migrated_app: Callable[..., APIFlask]) -> APIFlask:
    """The app on a freshly migrated database holding the seeded catalogue."""
    app = migrated_app()
    change_signal_ready(app.extensions[SIGNAL_KEY])
    return app


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
