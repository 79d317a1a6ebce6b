"""Fixtures for integration tests: the real app on a real, migrated database per test.

The databases, on SQLite and on PostgreSQL, come from the cupcake_testing plugin
(``backend``, ``database_url``, ...); here the app is pointed at them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pyramid.router import Router
from sqlalchemy import Engine, text
from webtest import TestApp

from cupcake_chassis.changes import change_signal_for
from cupcake_testing.plugin import ServiceDatabase
from toppings import main
from toppings.migrate import database_migrate
from toppings.models import CHANNEL, get_engine, get_session_factory
from toppings.settings import ADMIN_TOKEN, DATABASE_URL, PUBLIC_URL, RESPONSE_VALIDATION

TOKEN = "test-admin-token"
PUBLIC = "http://toppings.test"
Row = tuple[str, str, str, str]


@pytest.fixture(scope="session")
def service_database() -> ServiceDatabase:
    """Toppings, migrated by its Alembic migrations."""
    return ServiceDatabase(name="toppings", migrate=lambda url: database_migrate(database_url=url))


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
    unused = f"sqlite:///{tmp_path_factory.mktemp('app') / 'unused.sqlite3'}"
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
