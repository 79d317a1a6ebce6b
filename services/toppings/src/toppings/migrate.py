"""``toppings-migrate``: bring the database up to the newest schema and seed data.

Alembic and SQLAlchemy are imported only when there is something to migrate: a database
already at the scripts' heads is told from the scripts and the database directly
(``cupcake_chassis.migration_state``), so that starting the lab skips a second of imports.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from cupcake_chassis.migration_state import alembic_heads, alembic_is_current

from .settings import DATABASE_URL, load_settings

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Connection

SCRIPT_LOCATION = "toppings:alembic"
VERSIONS_DIR = Path(__file__).parent / "alembic" / "versions"
VERSION_TABLE = "alembic_version"


def alembic_config(*, database_url: str) -> Config:
    """Return an Alembic configuration for the packaged migrations and ``database_url``."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    # ConfigParser interpolation would choke on a '%' in a password.
    config.set_main_option(DATABASE_URL, database_url.replace("%", "%%"))
    return config


def migration_heads() -> set[str]:
    """Return the revisions a fully migrated database is at (read from the scripts)."""
    heads = alembic_heads(VERSIONS_DIR)
    if heads is None:
        from alembic.script import ScriptDirectory

        return set(ScriptDirectory.from_config(alembic_config(database_url="")).get_heads())
    return set(heads)


def database_revisions(*, connection: Connection) -> set[str]:
    """Return the revisions the database behind ``connection`` is at (empty if none)."""
    from sqlalchemy import inspect, text

    if not inspect(connection).has_table(VERSION_TABLE):
        return set()
    return {row[0] for row in connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))}


def database_migrate(*, database_url: str, revision: str = "head") -> None:
    """Upgrade the database at ``database_url`` to ``revision``."""
    from alembic import command
    from sqlalchemy.engine import make_url

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
    if args.revision == "head" and alembic_is_current(
        database_url=database_url, versions_dir=VERSIONS_DIR
    ):
        print("toppings: database at head, nothing to migrate")
        return
    from sqlalchemy.engine import make_url

    database_migrate(database_url=database_url, revision=args.revision)
    print(f"toppings: database at {args.revision}: {make_url(database_url)!r}")
