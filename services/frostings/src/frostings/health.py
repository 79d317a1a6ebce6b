"""Liveness and readiness: ``/healthz`` and ``/readyz`` (database reachable, migrations at
head; writes taken, and on SQLite room for them: ``cupcake_chassis.storage``)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, cast

from alembic.script import ScriptDirectory
from apiflask import APIBlueprint
from apiflask.types import ResponsesType
from sqlalchemy import inspect, text
from sqlalchemy.exc import SQLAlchemyError

from cupcake_chassis.sqlalchemy_storage import storage_checks
from cupcake_chassis.storage import readiness, readiness_headers
from frostings.extensions import MIGRATIONS_DIR, db
from frostings.schemas import HealthOut, ReadyOut

bp = APIBlueprint("health", __name__, tag="Health")
VERSION_TABLE = "alembic_version"

NOT_READY = cast(
    ResponsesType,
    {
        503: {
            "description": "Not ready: a check failed",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Ready"}}},
        }
    },
)


@lru_cache(maxsize=1)
def migration_heads() -> frozenset[str]:
    """The head revisions of the service's migration scripts."""
    return frozenset(ScriptDirectory(str(MIGRATIONS_DIR)).get_heads())


def database_revisions() -> set[str]:
    """The revisions the database is at: none before the first migration.

    Read from alembic's version table directly: a migration context would announce its
    dialect in the log at every readiness probe.
    """
    connection = db.session.connection()
    if not inspect(connection).has_table(VERSION_TABLE):
        return set()
    return set(db.session.scalars(text(f"SELECT version_num FROM {VERSION_TABLE}")))


def _failure(exc: Exception) -> dict[str, Any]:
    db.session.rollback()
    message = str(getattr(exc, "orig", None) or exc).splitlines()[0]
    return {"status": "fail", "detail": f"{type(exc).__name__}: {message}"[:300]}


def database_check() -> dict[str, Any]:
    """Whether the database answers ``SELECT 1``."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        return _failure(exc)
    return {"status": "ok"}


def migrations_check() -> dict[str, Any]:
    """Whether the database schema is at the migrations' head revision."""
    head = sorted(migration_heads())
    try:
        current = sorted(database_revisions())
    except SQLAlchemyError as exc:
        return {**_failure(exc), "head": head}
    if current != head:
        return {
            "status": "fail",
            "detail": "migrations are not applied",
            "current": current,
            "head": head,
        }
    return {"status": "ok", "current": current, "head": head}


@bp.get("/healthz")
@bp.output(HealthOut)
def healthz() -> dict[str, str]:
    """The process is alive"""
    return {"status": "ok"}


@bp.get("/readyz")
@bp.output(ReadyOut)
@bp.doc(responses=NOT_READY)
def readyz() -> tuple[dict[str, Any], int, dict[str, str]]:
    """The service can serve: its database answers and its migrations are applied
    (``degraded``, still 200, when it serves reads but refuses writes)"""
    checks = {"database": database_check(), "migrations": migrations_check()}
    answered = checks["database"]["status"] == "ok"
    checks.update(storage_checks(db.engine, database_answered=answered))
    status, code = readiness(checks)
    return {"status": status, "checks": checks}, code, readiness_headers(code)
