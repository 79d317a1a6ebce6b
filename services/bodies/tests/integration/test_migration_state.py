"""``bodies-manage migrate`` skips Django when every migration on disk is applied, and
only then."""

import shutil
import sqlite3
from pathlib import Path

import pytest
from django.db.migrations.loader import MigrationLoader

from bodies.config.migration_state import migration_names, migrations_are_applied

pytestmark = pytest.mark.integration


@pytest.fixture
def migrated_copy(migrated_template: Path, tmp_path: Path) -> Path:
    """A copy of a database migrated by Django."""
    return Path(shutil.copyfile(migrated_template, tmp_path / "bodies.sqlite3"))


def test_the_migrations_on_disk_are_those_django_finds() -> None:
    loader = MigrationLoader(None, ignore_no_migrations=True)

    assert migration_names() == set(loader.disk_migrations)


def test_a_database_migrated_by_django_is_known_to_be_migrated(migrated_copy: Path) -> None:
    assert migrations_are_applied(url=f"sqlite:///{migrated_copy}")


def test_a_migration_not_yet_applied_needs_django(migrated_copy: Path) -> None:
    with sqlite3.connect(migrated_copy) as connection:
        connection.execute("DELETE FROM django_migrations WHERE name = '0003_catalogueversion'")

    assert not migrations_are_applied(url=f"sqlite:///{migrated_copy}")


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://db/bodies",
        "sqlite://",
        "sqlite:///relative.sqlite3",
    ],
)
def test_what_cannot_be_read_directly_needs_django(url: str) -> None:
    assert not migrations_are_applied(url=url)


def test_a_missing_or_empty_or_foreign_database_needs_django(tmp_path: Path) -> None:
    missing = tmp_path / "missing.sqlite3"
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()
    foreign = tmp_path / "foreign.sqlite3"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE django_migrations (app TEXT, name TEXT)")
        connection.execute("INSERT INTO django_migrations VALUES ('other', '0001_initial')")

    for path in (missing, empty, foreign):
        assert not migrations_are_applied(url=f"sqlite:///{path}")
    assert not missing.exists()
