"""Fixtures for integration tests: the real app on a real, migrated database per test.

Each test runs twice, on SQLite and on PostgreSQL (``backend``). On SQLite its database is
its own file, a copy of one migrated once per session by the real migrations. On
PostgreSQL (the server of CUPCAKE_TEST_POSTGRES_URL; skipped without it, a failure in CI)
the session migrates a database of its own once and puts its rows back as migrated before
each test; the session drops its databases when it ends.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pyramid.router import Router
from sqlalchemy import Engine, text
from webtest import TestApp

from cupcake_chassis.changes import change_signal_for
from cupcake_chassis.testing.postgres import (
    PristineCopy,
    postgres_server_url,
    schema_empty,
    throwaway_database,
    unique_name,
    url_with_database,
)
from toppings import main
from toppings.migrate import database_migrate
from toppings.models import CHANNEL, get_engine, get_session_factory
from toppings.settings import ADMIN_TOKEN, DATABASE_URL, PUBLIC_URL, RESPONSE_VALIDATION

TOKEN = "test-admin-token"
PUBLIC = "http://toppings.test"
Row = tuple[str, str, str, str]


def _fresh_database_url(tmp_path: Path, name: str) -> str:
    return f"sqlite:///{tmp_path / name}"


def _migrate(url: str) -> None:
    database_migrate(database_url=url)


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
    """A SQLite file migrated once by the real migrations, copied for each test."""
    template = tmp_path_factory.mktemp("template") / "toppings.sqlite3"
    database_migrate(database_url=f"sqlite:///{template}")
    return template


@pytest.fixture(scope="session")
def migrated_postgres(postgres_server: str) -> Iterator[PristineCopy]:
    """A PostgreSQL database of the session, migrated once, its rows kept to be put back."""
    with throwaway_database(postgres_server, prefix="cupcake_toppings_test") as url:
        database_migrate(database_url=url)
        migrated = PristineCopy.keep(url)
        try:
            yield migrated
        finally:
            migrated.close()


@pytest.fixture(scope="session")
def empty_postgres(postgres_server: str) -> Iterator[str]:
    """A second PostgreSQL database of the session, for the tests of an unmigrated one."""
    with throwaway_database(postgres_server, prefix="cupcake_toppings_empty") as url:
        yield url


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of this test's migrated and seeded database, as the migrations left it."""
    if backend == "sqlite":
        database = tmp_path / "toppings.sqlite3"
        shutil.copyfile(request.getfixturevalue("migrated_template"), database)
        return f"sqlite:///{database}"
    migrated: PristineCopy = request.getfixturevalue("migrated_postgres")
    migrated.restore(migrate=_migrate)
    return migrated.url


@pytest.fixture
def unmigrated_database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database the migrations have not touched: a fresh SQLite file, or an emptied
    PostgreSQL database."""
    if backend == "sqlite":
        return _fresh_database_url(tmp_path, "empty.sqlite3")
    url: str = request.getfixturevalue("empty_postgres")
    schema_empty(url)
    return url


@pytest.fixture
def unreachable_database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database that cannot be opened: a SQLite file in a folder that does not exist, or a
    PostgreSQL database that the server does not have."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path}/no/such/folder/toppings.sqlite3"
    server: str = request.getfixturevalue("postgres_server")
    return url_with_database(server, unique_name("cupcake_toppings_missing"))


def _settings(database_url: str, **overrides: Any) -> dict[str, Any]:
    return {
        DATABASE_URL: database_url,
        ADMIN_TOKEN: TOKEN,
        PUBLIC_URL: PUBLIC,
        RESPONSE_VALIDATION: True,
        **overrides,
    }


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Router]:
    """The service built once per session (building validates the OpenAPI document: slow)."""
    unused = _fresh_database_url(tmp_path_factory.mktemp("app"), "unused.sqlite3")
    app = main({}, **_settings(unused))
    yield app
    app.registry["dbengine"].dispose()


# What the app holds of its database: the engine, the session factory, the change signal.
DATABASE_KEYS = ("dbengine", "dbsession_factory", "catalogue_changes")


@pytest.fixture
def use_database(app: Router) -> Iterator[Callable[[str], None]]:
    """Point the session's app at another database for this test; undone afterwards."""
    original = {key: app.registry[key] for key in DATABASE_KEYS}
    engines: list[Engine] = []

    def use(url: str) -> None:
        engine = get_engine({DATABASE_URL: url})
        engines.append(engine)
        changes = change_signal_for(url, channel=CHANNEL)
        app.registry["dbengine"] = engine
        app.registry["dbsession_factory"] = get_session_factory(engine, changes=changes)
        app.registry["catalogue_changes"] = changes
        # A database put back as migrated by SQL told no signal: forget what was rendered.
        app.registry["rendered_catalogue"].clear()

    yield use
    app.registry.update(original)
    for engine in engines:
        engine.dispose()


@pytest.fixture
def testapp(app: Router, database_url: str, use_database: Callable[[str], None]) -> TestApp:
    """The service under WebTest on this test's database, its answers checked against its spec."""
    use_database(database_url)
    return TestApp(app)


@pytest.fixture
def make_testapp(database_url: str) -> Iterator[Callable[..., TestApp]]:
    """Build a separate app on this test's database with other settings (keyword overrides)."""
    apps: list[Router] = []

    def build(**overrides: Any) -> TestApp:
        apps.append(main({}, **_settings(database_url, **overrides)))
        return TestApp(apps[-1])

    yield build
    for built in apps:
        built.registry["dbengine"].dispose()


@pytest.fixture
def admin() -> dict[str, str]:
    """Headers that carry the admin token."""
    return {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def stored_rows(database_url: str) -> Iterator[Callable[[], list[Row]]]:
    """Read every topping row straight from the database, to prove what was (not) written."""
    engine = get_engine({DATABASE_URL: database_url})

    def read() -> list[Row]:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT slug, name, description, color FROM toppings ORDER BY slug")
            )
            return [(row[0], row[1], row[2], row[3]) for row in rows]

    yield read
    engine.dispose()
