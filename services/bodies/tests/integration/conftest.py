"""Fixtures of the integration tests: the real app on a real, migrated database per test.

By default each test gets its own SQLite file in ``tmp_path``, copied from one file that
the real migrations built once for the session. With ``CUPCAKE_TEST_DATABASE_URL`` set
(e.g. a PostgreSQL test database) the same tests run there instead, the catalogue being
flushed and seeded again before each test.
"""

import importlib
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connections
from django.test import Client
from pytest_django import DjangoDbBlocker, Settings

from bodies.catalogue.kept import catalogue_kept_clear
from bodies.config.database import database_config
from fakes import FROSTINGS_URL, TOPPINGS_URL, FakePeers
from integration.helpers import catalogue_rows

TEST_DATABASE_URL = os.environ.get("CUPCAKE_TEST_DATABASE_URL")


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


def sqlite_config(path: Path) -> dict[str, Any]:
    """Return the service's database settings for a SQLite file."""
    return database_config(url=f"sqlite:///{path}", conn_max_age=0)


def catalogue_reseed() -> None:
    """Empty the database and seed it again with the data migrations' own functions."""
    call_command("flush", interactive=False, verbosity=0)
    seed = importlib.import_module("bodies.catalogue.migrations.0002_seed_bodies")
    seed.seed_bodies(apps, None)
    version = importlib.import_module("bodies.catalogue.migrations.0003_catalogueversion")
    version.version_create(apps, None)


@pytest.fixture(scope="session")
def migrated_template(
    tmp_path_factory: pytest.TempPathFactory, django_db_blocker: DjangoDbBlocker
) -> Path:
    """A SQLite file migrated once, by the real migrations, for every test to copy."""
    path = tmp_path_factory.mktemp("template") / "bodies.sqlite3"
    with django_db_blocker.unblock(), database_in_use(sqlite_config(path)):
        call_command("migrate", interactive=False, verbosity=0)
    return path


@pytest.fixture(scope="session")
def migrated_external_database(django_db_blocker: DjangoDbBlocker) -> dict[str, Any]:
    """The database of CUPCAKE_TEST_DATABASE_URL, migrated once for the session."""
    assert TEST_DATABASE_URL
    config = database_config(url=TEST_DATABASE_URL, conn_max_age=0)
    with django_db_blocker.unblock(), database_in_use(config):
        call_command("migrate", interactive=False, verbosity=0)
    return config


@pytest.fixture
def database(
    request: pytest.FixtureRequest, tmp_path: Path, django_db_blocker: DjangoDbBlocker
) -> Iterator[None]:
    """This test's own migrated and seeded database, in use for the whole test."""
    if TEST_DATABASE_URL:
        config = request.getfixturevalue("migrated_external_database")
        with django_db_blocker.unblock(), database_in_use(config):
            catalogue_reseed()
            yield
        return
    path = tmp_path / "bodies.sqlite3"
    shutil.copyfile(request.getfixturevalue("migrated_template"), path)
    with django_db_blocker.unblock(), database_in_use(sqlite_config(path)):
        yield


@pytest.fixture(autouse=True)
def kept_cleared() -> None:
    """Nothing kept rendered from another test's database (they are copies of one file)."""
    catalogue_kept_clear()


@pytest.fixture
def unmigrated_database(tmp_path: Path, django_db_blocker: DjangoDbBlocker) -> Iterator[Path]:
    """A fresh SQLite file that no migration has touched, in use for the whole test."""
    path = tmp_path / "empty.sqlite3"
    with django_db_blocker.unblock(), database_in_use(sqlite_config(path)):
        yield path


@pytest.fixture
def unreachable_database(tmp_path: Path, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """A SQLite database in a directory that does not exist, so it cannot be opened."""
    with django_db_blocker.unblock(), database_in_use(sqlite_config(tmp_path / "no" / "x.db")):
        yield


@pytest.fixture
def client(database: None) -> Client:
    """Django's test client on the real app, with this test's database."""
    return Client()


@pytest.fixture
def seeded_rows(database: None) -> list[tuple[str, str, str, str]]:
    """The catalogue as the migrations seeded it, to compare with after a refused write."""
    return catalogue_rows()


@pytest.fixture
def fake_peers(peers: FakePeers, settings: Settings) -> FakePeers:
    """The app's peer clients reach the fake frostings and toppings for this test."""
    settings.FROSTINGS_URL = FROSTINGS_URL
    settings.TOPPINGS_URL = TOPPINGS_URL
    settings.UPSTREAM_TRANSPORT = peers.transport
    return peers
