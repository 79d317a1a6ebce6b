"""Fixtures for integration tests: the real app on a real, migrated database per test."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from pyramid.router import Router
from sqlalchemy import Engine, create_engine, text
from webtest import TestApp

from toppings import main
from toppings.migrate import alembic_config, database_migrate
from toppings.models import get_engine, get_session_factory
from toppings.settings import ADMIN_TOKEN, DATABASE_URL, PUBLIC_URL, RESPONSE_VALIDATION

TOKEN = "test-admin-token"
PUBLIC = "http://toppings.test"
Row = tuple[str, str, str, str]


def _fresh_database_url(tmp_path: Path, name: str) -> str:
    return f"sqlite:///{tmp_path / name}"


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once by the real migrations, copied for each test."""
    template = tmp_path_factory.mktemp("template") / "toppings.sqlite3"
    database_migrate(database_url=f"sqlite:///{template}")
    return template


@pytest.fixture
def database_url(tmp_path: Path, migrated_template: Path) -> Iterator[str]:
    """This test's migrated database: its own SQLite file, or ``CUPCAKE_TEST_DATABASE_URL``."""
    shared = os.environ.get("CUPCAKE_TEST_DATABASE_URL")
    if not shared:
        database = tmp_path / "toppings.sqlite3"
        shutil.copyfile(migrated_template, database)
        yield f"sqlite:///{database}"
        return
    database_migrate(database_url=shared)
    yield shared
    command.downgrade(alembic_config(database_url=shared), "base")


@pytest.fixture
def unmigrated_database_url(tmp_path: Path, database_url: str) -> str:
    """A database the migrations have not touched (a fresh SQLite file, or the shared one reset)."""
    if os.environ.get("CUPCAKE_TEST_DATABASE_URL"):
        command.downgrade(alembic_config(database_url=database_url), "base")
        return database_url
    return _fresh_database_url(tmp_path, "empty.sqlite3")


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


@pytest.fixture
def use_database(app: Router) -> Iterator[Callable[[str], None]]:
    """Point the session's app at another database for this test; undone afterwards."""
    original = (app.registry["dbengine"], app.registry["dbsession_factory"])
    engines: list[Engine] = []

    def use(url: str) -> None:
        engine = get_engine({DATABASE_URL: url})
        engines.append(engine)
        app.registry["dbengine"] = engine
        app.registry["dbsession_factory"] = get_session_factory(engine)

    yield use
    app.registry["dbengine"], app.registry["dbsession_factory"] = original
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
    engine = create_engine(database_url)

    def read() -> list[Row]:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT slug, name, description, color FROM toppings ORDER BY slug")
            )
            return [(row[0], row[1], row[2], row[3]) for row in rows]

    yield read
    engine.dispose()
