"""The real app on a real database per test, built by the real migrations.

Each test runs twice, on SQLite and on PostgreSQL (``backend``). On SQLite its database is
a fresh file in ``tmp_path``, a copy of one migrated once per session by the real
migrations. On PostgreSQL (the server of CUPCAKE_TEST_POSTGRES_URL; skipped without it, a
failure in CI) the session migrates a database of its own once and puts its rows back as
migrated before each test; the session drops its databases when it ends.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from apiflask import APIFlask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text

from cupcake_chassis.testing.changes import change_signal_ready
from cupcake_chassis.testing.postgres import (
    PristineCopy,
    postgres_server_url,
    schema_empty,
    throwaway_database,
    unique_name,
    url_with_database,
)
from cupcake_chassis.wiring import Wiring
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


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    """The database the integration tests run on: each one runs on both."""
    return str(request.param)


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The PostgreSQL server of the session (CUPCAKE_TEST_POSTGRES_URL), else a skip."""
    return postgres_server_url()


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file brought to head once by the real migrations, copied by each test."""
    path = tmp_path_factory.mktemp("template") / "frostings.sqlite3"
    database_migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def migrated_postgres(postgres_server: str) -> Iterator[PristineCopy]:
    """A PostgreSQL database of the session, migrated once, its rows kept to be put back."""
    with throwaway_database(postgres_server, prefix="cupcake_frostings_test") as url:
        database_migrate(url)
        migrated = PristineCopy.keep(url)
        try:
            yield migrated
        finally:
            migrated.close()


@pytest.fixture(scope="session")
def empty_postgres(postgres_server: str) -> Iterator[str]:
    """A second PostgreSQL database of the session, for the tests of an unmigrated one."""
    with throwaway_database(postgres_server, prefix="cupcake_frostings_empty") as url:
        yield url


@pytest.fixture
def database_path(tmp_path: Path) -> Path:
    """Where this test's SQLite database file lives."""
    return tmp_path / "frostings.sqlite3"


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest, database_path: Path) -> str:
    """This test's database, not migrated: a new SQLite file, or an emptied PostgreSQL one."""
    if backend == "sqlite":
        return f"sqlite:///{database_path}"
    url: str = request.getfixturevalue("empty_postgres")
    schema_empty(url)
    return url


@pytest.fixture
def migrated_database_url(backend: str, request: pytest.FixtureRequest, database_path: Path) -> str:
    """This test's database as the migrations left it (for SQLite, the file of database_url)."""
    if backend == "sqlite":
        shutil.copyfile(request.getfixturevalue("migrated_template"), database_path)
        return f"sqlite:///{database_path}"
    migrated: PristineCopy = request.getfixturevalue("migrated_postgres")
    migrated.restore(migrate=database_migrate)
    return migrated.url


@pytest.fixture
def unreachable_database_url(backend: str, request: pytest.FixtureRequest) -> str:
    """A database that cannot be opened: a SQLite file in a folder that does not exist, or a
    PostgreSQL database that the server does not have."""
    if backend == "sqlite":
        return "sqlite:////nonexistent-dir/frostings.sqlite3"
    server: str = request.getfixturevalue("postgres_server")
    return url_with_database(server, unique_name("cupcake_frostings_missing"))


@pytest.fixture
def make_app(
    database_url: str, peers_fake: Any, wiring: Wiring
) -> Iterator[Callable[..., APIFlask]]:
    """Build the app on the test database (not migrated), with config overrides, its peers
    the fakes, on the test's clock."""
    built: list[APIFlask] = []

    def make(**overrides: Any) -> APIFlask:
        config = {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
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
        url = request.getfixturevalue("migrated_database_url")
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
