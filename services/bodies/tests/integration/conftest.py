"""Fixtures of the integration tests: the real app on a real, migrated database per test.

The databases, on SQLite and on PostgreSQL, come from the cupcake_testing plugin
(``backend``, ``database_url``, ...); here Django is pointed at them.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connections
from django.test import Client
from pytest_django import DjangoDbBlocker

from bodies.catalogue.kept import catalogue_changes, catalogue_kept_clear
from bodies.config.database import database_config
from cupcake_testing.changes import change_signal_ready
from cupcake_testing.plugin import ServiceDatabase
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


@pytest.fixture(scope="session")
def service_database(django_db_blocker: DjangoDbBlocker) -> ServiceDatabase:
    """Bodies, migrated by Django's ``migrate`` command."""

    def migrate(url: str) -> None:
        with database_url_in_use(url, django_db_blocker):
            call_command("migrate", interactive=False, verbosity=0)

    return ServiceDatabase(name="bodies", migrate=migrate)


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
    unmigrated_database_url: str, django_db_blocker: DjangoDbBlocker
) -> Iterator[str]:
    """A database no migration has touched, in use for the whole test; yields its URL."""
    with database_url_in_use(unmigrated_database_url, django_db_blocker):
        yield unmigrated_database_url


@pytest.fixture
def unreachable_database(
    unreachable_database_url: str, django_db_blocker: DjangoDbBlocker
) -> Iterator[None]:
    """A database that cannot be opened, in use for the whole test."""
    with database_url_in_use(unreachable_database_url, django_db_blocker):
        yield


@pytest.fixture
def client(database: None) -> Client:
    """Django's test client on the real app, with this test's database."""
    return Client()


@pytest.fixture
def seeded_rows(database: None) -> list[tuple[str, str, str, str]]:
    """The catalogue as the migrations seeded it, to compare with after a refused write."""
    return catalogue_rows()
