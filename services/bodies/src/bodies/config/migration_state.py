"""Whether every migration of the service is applied, told without importing Django.

``bodies-manage migrate`` asks this first (``bodies.manage``): the migration files of
each app that has migrations are listed from their folders, and the migrations applied
are read from ``django_migrations`` with ``sqlite3``. Only when every file is recorded
as applied is Django's run skipped; a PostgreSQL URL, a missing, empty or foreign
database, or a migration not yet applied all run Django's ``migrate`` as before.
"""

from importlib.util import find_spec
from pathlib import Path

from bodies.config.env import SERVICE_NAME, environment
from cupcake_chassis.migration_state import sqlite_file_of, sqlite_rows

# The installed apps (settings.INSTALLED_APPS) that have migrations, by label; a test
# holds this to what Django's own loader finds.
CONTRIB_APPS = ("admin", "auth", "contenttypes", "sessions")
SERVICE_APPS = ("catalogue", "assembler")


def migration_dirs() -> dict[str, Path]:
    """Each app label with its migrations folder."""
    django = find_spec("django")  # found, not imported
    assert django is not None and django.submodule_search_locations is not None
    contrib = Path(next(iter(django.submodule_search_locations))) / "contrib"
    service = Path(__file__).resolve().parents[1]
    return {
        **{label: contrib / label / "migrations" for label in CONTRIB_APPS},
        **{label: service / label / "migrations" for label in SERVICE_APPS},
    }


def migration_names() -> set[tuple[str, str]]:
    """Every migration on disk, as ``(app label, name)``, the way Django names them."""
    return {
        (label, script.stem)
        for label, folder in migration_dirs().items()
        for script in folder.glob("*.py")
        if not script.name.startswith(("_", "~"))
    }


def migrations_are_applied(*, url: str | None = None) -> bool:
    """Whether the SQLite database at ``url`` (the service's by default) has every
    migration on disk applied; False when that cannot be told."""
    path = sqlite_file_of(url or environment().database_url(SERVICE_NAME))
    if path is None:
        return False
    applied = sqlite_rows(path, "SELECT app, name FROM django_migrations")
    return applied is not None and migration_names() <= applied
