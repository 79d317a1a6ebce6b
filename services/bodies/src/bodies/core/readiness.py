"""Readiness checks: the database answers, and every migration is applied; it takes writes,
and on SQLite has room for them (``cupcake_chassis.storage``)."""

from typing import Literal, TypedDict, cast

from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from cupcake_chassis.storage import postgres_writable_check, sqlite_checks, sqlite_path


class CheckResult(TypedDict):
    """The outcome of one readiness check."""

    status: Literal["ok", "fail"]
    detail: str


def database_check() -> CheckResult:
    """Run ``SELECT 1`` on the default database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return {"status": "fail", "detail": f"{type(exc).__name__}: {exc}"}
    return {"status": "ok", "detail": "SELECT 1 answered"}


def migrations_check() -> CheckResult:
    """Compare the applied migrations with the ones on disk."""
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        return {"status": "fail", "detail": f"{type(exc).__name__}: {exc}"}
    if plan:
        pending = ", ".join(f"{migration.app_label}.{migration.name}" for migration, _ in plan)
        return {"status": "fail", "detail": f"{len(plan)} not applied: {pending}"}
    return {"status": "ok", "detail": "all migrations applied"}


def readiness_checks() -> dict[str, CheckResult]:
    """Run every readiness check, by name."""
    checks = {"database": database_check(), "migrations": migrations_check()}
    if connection.vendor == "sqlite":
        path = sqlite_path(f"sqlite:///{connection.settings_dict['NAME']}")
        if path is not None:
            checks.update(cast(dict[str, CheckResult], sqlite_checks(path)))
    elif connection.vendor == "postgresql" and checks["database"]["status"] == "ok":
        checks["writable"] = cast(CheckResult, postgres_writable_check(_in_a_transaction))
    return checks


def _in_a_transaction(sql: str) -> None:
    """Run ``sql`` in a transaction of its own, rolled back."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql)
        transaction.set_rollback(True)
