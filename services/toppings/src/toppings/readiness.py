"""Can the service serve? Its database answers and is migrated to the newest revision; and
whether it takes writes (on SQLite, and room for them too: ``cupcake_chassis.storage``)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from cupcake_chassis.sqlalchemy_storage import storage_checks
from cupcake_chassis.storage import readiness

from .migrate import database_revisions


def _passed() -> dict[str, Any]:
    return {"status": "ok"}


def _failed(detail: str) -> dict[str, Any]:
    return {"status": "fail", "detail": detail}


def readiness_check(*, engine: Engine, heads: Collection[str]) -> tuple[dict[str, Any], int]:
    """Return ``{"status", "checks": {"database", "migrations", ...}}`` for the database,
    and the HTTP status that says it (503 when it cannot serve at all)."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            current = database_revisions(connection=connection)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        checks = {
            "database": _failed(f"{type(exc).__name__}: {reason}"),
            "migrations": _failed("unknown: the database is unreachable"),
        }
    else:
        expected = sorted(heads)
        migrations = (
            _passed()
            if current == set(heads)
            else _failed(f"database at {sorted(current) or 'no revision'}, expected {expected}")
        )
        checks = {"database": _passed(), "migrations": migrations}
    checks.update(storage_checks(engine, database_answered=checks["database"]["status"] == "ok"))
    status, code = readiness(checks)
    return {"status": status, "checks": checks}, code
