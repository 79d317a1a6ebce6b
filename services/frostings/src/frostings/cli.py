"""``frostings-migrate``: bring the database (``DATABASE_URL``) to the latest migration.

The migrations create the schema and seed the catalogue, so a fresh database is never empty.
Same as ``flask --app frostings db upgrade``. A database already at the scripts' heads is
told from the scripts and the database directly (``cupcake_chassis.migration_state``),
without importing Flask, Alembic or SQLAlchemy.
"""

from __future__ import annotations

from pathlib import Path

from cupcake_chassis.migration_state import alembic_is_current
from frostings.config import load_settings

# Inside the package, so that the migrations ship with it (frostings.extensions).
VERSIONS_DIR = Path(__file__).parent / "migrations" / "versions"


def _sqlite_folder_ensure(database_url: str) -> None:
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        Path(str(url.database)).parent.mkdir(parents=True, exist_ok=True)


def migrate_main() -> None:
    """Apply every pending migration to the configured database."""
    database_url = load_settings()["SQLALCHEMY_DATABASE_URI"]
    if alembic_is_current(database_url=database_url, versions_dir=VERSIONS_DIR):
        print("frostings: database at head, nothing to migrate")
        return
    from flask_migrate import upgrade

    from frostings import create_app
    from frostings.extensions import MIGRATIONS_DIR
    from frostings.health import migration_heads

    app = create_app()
    _sqlite_folder_ensure(app.config["SQLALCHEMY_DATABASE_URI"])
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR))
    print(f"frostings: database migrated to {', '.join(sorted(migration_heads()))}")
