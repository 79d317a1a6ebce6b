"""The migrations: schema and seed data, both ways, and the toppings-migrate command."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text

from toppings.migrate import alembic_config, database_revisions, main, migration_heads
from toppings.models import get_engine
from toppings.settings import DATABASE_URL


def _slugs(url: str) -> list[str]:
    engine = get_engine({DATABASE_URL: url})
    try:
        with engine.connect() as connection:
            return list(connection.scalars(text("SELECT slug FROM toppings ORDER BY slug")))
    finally:
        engine.dispose()


def test_the_newest_revision_drops_the_catalogue_version_row() -> None:
    assert migration_heads() == {"0004"}


def test_migrations_create_the_table_with_a_unique_slug(database_url: str) -> None:
    engine = get_engine({DATABASE_URL: database_url})
    try:
        inspector = inspect(engine)
        columns = {column["name"] for column in inspector.get_columns("toppings")}
        unique = inspector.get_unique_constraints("toppings")
        with engine.connect() as connection:
            assert database_revisions(connection=connection) == {"0004"}
            assert "catalogue_version" not in inspector.get_table_names()
    finally:
        engine.dispose()
    assert columns == {"id", "slug", "name", "description", "color"}
    assert [constraint["column_names"] for constraint in unique] == [["slug"]]


def test_migrations_seed_the_catalogue(database_url: str) -> None:
    assert _slugs(database_url) == ["cherry", "flag", "sprinkles"]


def test_downgrading_the_seed_leaves_an_empty_table_and_upgrading_refills_it(
    database_url: str,
) -> None:
    config = alembic_config(database_url=database_url)
    command.downgrade(config, "0001")
    assert _slugs(database_url) == []
    command.upgrade(config, "head")
    assert _slugs(database_url) == ["cherry", "flag", "sprinkles"]


def test_the_console_script_migrates_the_database_of_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "new-folder" / "toppings.sqlite3"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{database}")
    main([])
    assert _slugs(f"sqlite:///{database}") == ["cherry", "flag", "sprinkles"]
    assert "toppings: database at head" in capsys.readouterr().out
    main([])  # a second run changes nothing and does not fail
    assert _slugs(f"sqlite:///{database}") == ["cherry", "flag", "sprinkles"]
    assert "nothing to migrate" in capsys.readouterr().out


def test_the_heads_read_from_the_scripts_are_alembics() -> None:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config(database_url=""))
    assert migration_heads() == set(scripts.get_heads())


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path: Path) -> None:
    engine = get_engine({DATABASE_URL: f"sqlite:///{tmp_path / 'toppings.sqlite3'}"})
    try:
        with engine.connect() as connection:
            assert connection.scalar(text("PRAGMA journal_mode")) == "wal"
            assert connection.scalar(text("PRAGMA busy_timeout")) == 5000
    finally:
        engine.dispose()
