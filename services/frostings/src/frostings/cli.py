"""``frostings-migrate``: bring the database (``DATABASE_URL``) to the latest migration.

The migrations create the schema and seed the catalogue, so a fresh database is never empty.
Same as ``flask --app frostings db upgrade``.
"""

from __future__ import annotations

from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from frostings import create_app
from frostings.extensions import MIGRATIONS_DIR
from frostings.health import migration_heads


def _sqlite_folder_ensure(database_url: str) -> None:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        Path(str(url.database)).parent.mkdir(parents=True, exist_ok=True)


def migrate_main() -> None:
    """Apply every pending migration to the configured database."""
    app = create_app()
    _sqlite_folder_ensure(app.config["SQLALCHEMY_DATABASE_URI"])
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR))
    print(f"frostings: database migrated to {', '.join(sorted(migration_heads()))}")
