"""Fixtures of the integration tests: the real app on a real, migrated database per test.

Each test runs twice, on SQLite and on PostgreSQL (``backend``). On SQLite it gets its own
file in ``tmp_path``, copied from one file that the real migrations built once for the
session. On PostgreSQL (the server of CUPCAKE_TEST_POSTGRES_URL; skipped without it, a
failure in CI) the session migrates a database of its own once and puts its rows back as
migrated before each test; the session drops its databases when it ends.
"""

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connections
from django.test import Client
from pytest_django import DjangoDbBlocker

from bodies.catalogue.kept import catalogue_changes, catalogue_kept_clear
from bodies.config.database import database_config
from cupcake_chassis.testing.changes import change_signal_ready
from cupcake_chassis.testing.postgres import (
    PristineCopy,
    postgres_server_url,
    schema_empty,
    throwaway_database,
    unique_name,
    url_with_database,
)
from integration.helpers import catalogue_rows


@contextmanager
def database_in_use(config: dict[str, Any]) -> Iterator[None]:
    """Point Django's default database at ``config`` while the block runs."""
    previous = connections.settings["default"]

    def switch_to(settings_dict: dict[str, Any]) -> None:
        connections.close_all()
        connections.settings["default"] = settings_dict
        # Drop this thread's connection object, so the next query connects anew.
        try:
            del connections["default"]
        except AttributeError:
            pass

    switch_to(connections.configure_settings({"default": config})["default"])
    try:
        yield
    finally:
        switch_to(previous)


@contextmanager
def database_url_in_use(url: str, blocker: DjangoDbBlocker) -> Iterator[None]:
    """Let the block use the database at ``url`` as Django's default database."""
    with blocker.unblock(), database_in_use(database_config(url=url, conn_max_age=0)):
        yield


def migrate() -> None:
    """Apply every migration to the default database."""
    call_command("migrate", interactive=False, verbosity=0)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    """The database the integration tests run on: each one runs on both."""
    return str(request.param)


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The PostgreSQL server of the session (CUPCAKE_TEST_POSTGRES_URL), else a skip."""
    return postgres_server_url()


@pytest.fixture(scope="session")
def migrated_template(
    tmp_path_factory: pytest.TempPathFactory, django_db_blocker: DjangoDbBlocker
) -> Path:
    """A SQLite file migrated once, by the real migrations, for every test to copy."""
    path = tmp_path_factory.mktemp("template") / "bodies.sqlite3"
    with database_url_in_use(f"sqlite:///{path}", django_db_blocker):
        migrate()
    return path


@pytest.fixture(scope="session")
def migrated_postgres(
    postgres_server: str, django_db_blocker: DjangoDbBlocker
) -> Iterator[PristineCopy]:
    """A PostgreSQL database of the session, migrated once, its rows kept to be put back."""
    with throwaway_database(postgres_server, prefix="cupcake_bodies_test") as url:
        with database_url_in_use(url, django_db_blocker):
            migrate()
        migrated = PristineCopy.keep(url)
        try:
            yield migrated
        finally:
            migrated.close()


@pytest.fixture(scope="session")
def empty_postgres(postgres_server: str) -> Iterator[str]:
    """A second PostgreSQL database of the session, for the tests of an unmigrated one."""
    with throwaway_database(postgres_server, prefix="cupcake_bodies_empty") as url:
        yield url


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of this test's migrated and seeded database, as the migrations left it."""
    if backend == "sqlite":
        path = tmp_path / "bodies.sqlite3"
        shutil.copyfile(request.getfixturevalue("migrated_template"), path)
        return f"sqlite:///{path}"
    migrated: PristineCopy = request.getfixturevalue("migrated_postgres")
    migrated.restore()
    return migrated.url


@pytest.fixture
def database(database_url: str, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """This test's own migrated and seeded database, in use for the whole test, its changes
    told (on PostgreSQL, once the listener is connected)."""
    with database_url_in_use(database_url, django_db_blocker):
        change_signal_ready(catalogue_changes())
        yield


@pytest.fixture(autouse=True)
def kept_cleared() -> None:
    """Nothing kept rendered from another test's database (they are copies of one file)."""
    catalogue_kept_clear()


@pytest.fixture
def unmigrated_database(
    backend: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    django_db_blocker: DjangoDbBlocker,
) -> Iterator[str]:
    """A database no migration has touched, in use for the whole test; yields its URL."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    else:
        url = request.getfixturevalue("empty_postgres")
        schema_empty(url)
    with database_url_in_use(url, django_db_blocker):
        yield url


@pytest.fixture
def unreachable_database(
    backend: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    django_db_blocker: DjangoDbBlocker,
) -> Iterator[None]:
    """A database that cannot be opened: a SQLite file in a folder that does not exist, or a
    PostgreSQL database that the server does not have."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'no' / 'x.db'}"
    else:
        server = request.getfixturevalue("postgres_server")
        url = url_with_database(server, unique_name("cupcake_bodies_missing"))
    with database_url_in_use(url, django_db_blocker):
        yield


@pytest.fixture
def client(database: None) -> Client:
    """Django's test client on the real app, with this test's database."""
    return Client()


@pytest.fixture
def seeded_rows(database: None) -> list[tuple[str, str, str, str]]:
    """The catalogue as the migrations seeded it, to compare with after a refused write."""
    return catalogue_rows()
