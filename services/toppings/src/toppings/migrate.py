"""``toppings-migrate``: bring the database up to the newest schema and seed data."""

from __future__ import annotations

import argparse
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection
from sqlalchemy.engine import make_url

from .settings import DATABASE_URL, load_settings

SCRIPT_LOCATION = "toppings:alembic"


def alembic_config(*, database_url: str) -> Config:
    """Return an Alembic configuration for the packaged migrations and ``database_url``."""
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    # ConfigParser interpolation would choke on a '%' in a password.
    config.set_main_option(DATABASE_URL, database_url.replace("%", "%%"))
    return config


def migration_heads() -> set[str]:
    """Return the revisions a fully migrated database is at."""
    return set(ScriptDirectory.from_config(alembic_config(database_url="")).get_heads())


def database_revisions(*, connection: Connection) -> set[str]:
    """Return the revisions the database behind ``connection`` is at (empty if none)."""
    return set(MigrationContext.configure(connection).get_current_heads())


def database_migrate(*, database_url: str, revision: str = "head") -> None:
    """Upgrade the database at ``database_url`` to ``revision``."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        # SQLite creates the file but not its folder (e.g. the lab's .lab/).
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(database_url=database_url), revision)


def main(argv: list[str] | None = None) -> None:
    """Console entry point: migrate the database named by ``DATABASE_URL``."""
    parser = argparse.ArgumentParser(prog="toppings-migrate", description=__doc__)
    parser.add_argument("revision", nargs="?", default="head", help="target (default: head)")
    args = parser.parse_args(argv)
    database_url = load_settings()[DATABASE_URL]
    database_migrate(database_url=database_url, revision=args.revision)
    print(f"toppings: database at {args.revision}: {make_url(database_url)!r}")
