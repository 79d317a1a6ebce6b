"""Telling a database's migrations from the files and the database, without Alembic."""

import sqlite3
from pathlib import Path

import pytest

from cupcake_chassis.migration_state import alembic_heads, alembic_is_current, sqlite_file_of


def script(folder: Path, name: str, revision: str, down: str) -> None:
    """Write an Alembic script declaring ``revision``, revising ``down`` (source text)."""
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.py").write_text(
        f'"""{name}"""\n\nrevision = "{revision}"\ndown_revision = {down}\n\n'
        "def upgrade() -> None:\n    pass\n"
    )


def database(path: Path, *revisions: str) -> str:
    """A SQLite file whose alembic_version holds ``revisions``; its URL."""
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32))")
        connection.executemany("INSERT INTO alembic_version VALUES (?)", [(r,) for r in revisions])
    connection.close()
    return f"sqlite:///{path}"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:////tmp/lab/bodies.sqlite3", Path("/tmp/lab/bodies.sqlite3")),
        ("sqlite:///relative.sqlite3", None),
        ("sqlite://", None),
        ("sqlite:///:memory:", None),
        ("sqlite:////tmp/x.sqlite3?mode=ro", None),
        ("postgresql://db/cupcakes", None),
        ("postgresql+psycopg://user@db:5432/cupcakes", None),
    ],
)
def test_only_plain_sqlite_files_are_read_directly(url: str, expected: Path | None) -> None:
    assert sqlite_file_of(url) == expected


def test_the_heads_are_the_revisions_nobody_revises(tmp_path: Path) -> None:
    script(tmp_path, "0001_a", "a", "None")
    script(tmp_path, "0002_b", "b", '"a"')
    script(tmp_path, "0003_c", "c", '"a"')
    assert alembic_heads(tmp_path) == frozenset({"b", "c"})
    script(tmp_path, "0004_merge", "m", '("b", "c")')
    assert alembic_heads(tmp_path) == frozenset({"m"})


def test_scripts_not_written_as_literals_cannot_be_told(tmp_path: Path) -> None:
    script(tmp_path, "0001_a", "a", "None")
    script(tmp_path, "0002_b", "b", "compute()")
    assert alembic_heads(tmp_path) is None
    assert alembic_heads(tmp_path / "nothing") is None


def test_a_database_at_the_heads_is_current(tmp_path: Path) -> None:
    versions = tmp_path / "versions"
    script(versions, "0001_a", "a", "None")
    url = database(tmp_path / "db.sqlite3", "a")
    assert alembic_is_current(database_url=url, versions_dir=versions)

    script(versions, "0002_b", "b", '"a"')  # a new migration
    assert not alembic_is_current(database_url=url, versions_dir=versions)


def test_a_missing_empty_or_foreign_database_is_not_current(tmp_path: Path) -> None:
    versions = tmp_path / "versions"
    script(versions, "0001_a", "a", "None")
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()
    urls = [
        f"sqlite:///{tmp_path / 'missing.sqlite3'}",
        f"sqlite:///{empty}",
        database(tmp_path / "foreign.sqlite3", "zzz"),
        "postgresql://db/cupcakes",
    ]
    assert [alembic_is_current(database_url=url, versions_dir=versions) for url in urls] == [
        False
    ] * 4
    assert not (tmp_path / "missing.sqlite3").exists()
