"""Whether a database's migrations are all applied, told without the migration framework.

Starting a service runs its migrations first, and a migration tool that has nothing to do
still costs a second or more of imports (Django, Alembic, SQLAlchemy). The migrate
commands ask these functions first: what the migration files are (read from the files,
not imported) and what the database has applied (read with ``sqlite3``, read-only). Only
when both are known and agree is the real run skipped; anything these functions cannot
tell (a PostgreSQL URL, a missing or foreign database, a file they cannot read) is
``None``, and the caller runs the real migrations.
"""

from __future__ import annotations

import ast
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

SQLITE_SCHEMES = ("sqlite", "sqlite3")


def sqlite_file_of(database_url: str) -> Path | None:
    """The file of a plain ``sqlite:////absolute/path`` URL; None for any other database or
    form (a relative path means different folders to different frameworks)."""
    parts = urlsplit(database_url)
    if parts.scheme not in SQLITE_SCHEMES or parts.netloc or parts.query or parts.fragment:
        return None
    path = Path(parts.path[1:])
    return path if path.is_absolute() else None


def sqlite_rows(path: Path, query: str) -> set[tuple[object, ...]] | None:
    """The rows ``query`` reads from the SQLite file at ``path``, opened read-only; None if
    the file or the table is missing or anything else fails."""
    if not path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        return set(connection.execute(query).fetchall())
    except sqlite3.Error:
        return None
    finally:
        connection.close()


def _module_constants(source: str, names: tuple[str, ...]) -> dict[str, object]:
    """The literal values assigned to ``names`` at the top level of a module's source."""
    found: dict[str, object] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id in names:
            found[target.id] = ast.literal_eval(value)
    return found


def _revision_ids(value: object) -> tuple[str, ...] | None:
    """A ``down_revision`` as a tuple of ids (None, one id, or several); None if neither."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, tuple | list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    return None


def alembic_heads(versions_dir: Path) -> frozenset[str] | None:
    """The head revisions of the Alembic scripts in ``versions_dir``: those no other
    script revises. None if a script does not declare its revisions as plain literals."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for script in sorted(versions_dir.glob("*.py")):
        if script.name.startswith("_"):
            continue
        try:
            constants = _module_constants(
                script.read_text(encoding="utf-8"), ("revision", "down_revision")
            )
        except (OSError, SyntaxError, ValueError):
            return None
        revision = constants.get("revision")
        down = _revision_ids(constants.get("down_revision"))
        if not isinstance(revision, str) or down is None:
            return None
        revisions.add(revision)
        revised.update(down)
    return frozenset(revisions - revised) if revisions else None


def alembic_is_current(*, database_url: str, versions_dir: Path) -> bool:
    """Whether the SQLite database at ``database_url`` is known to be at exactly the heads
    of the scripts in ``versions_dir``; False when that cannot be told."""
    path = sqlite_file_of(database_url)
    heads = alembic_heads(versions_dir)
    if path is None or heads is None:
        return False
    applied = sqlite_rows(path, "SELECT version_num FROM alembic_version")
    return applied is not None and {row[0] for row in applied} == heads
