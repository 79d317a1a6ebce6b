"""Django's PostgreSQL backend, keeping lock waits within the request's deadline.

``ENGINE: "bodies.core.storage_postgresql"``, which ``bodies.config.database`` sets for
every PostgreSQL URL: Django's own backend, and before each write (and each read that
locks rows) what
``cupcake_chassis.storage`` asks of a PostgreSQL database layer: its ``lock_timeout`` set
to the request's time left, so that a table or row another session holds is a 503 within
the deadline, not a request that waits for as long as the lock is held.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.backends.postgresql import base

from cupcake_chassis.storage import postgres_lock_wait_sql


def lock_wait_bounded(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """An execute wrapper (Django's ``execute_wrappers``): ``sql``, its lock wait bounded
    first when it may wait for a lock."""
    bound = postgres_lock_wait_sql(sql)
    if bound is not None:
        # Wrappers run outside Django's error translation: without it, a connection the
        # server closed would raise psycopg's own error, which no handler takes for Django's.
        with context["connection"].wrap_database_errors:
            context["cursor"].cursor.execute(bound)
    return execute(sql, params, many, context)


class DatabaseWrapper(base.DatabaseWrapper):
    """Django's PostgreSQL connection, its statements' lock waits bounded."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.execute_wrappers.append(lock_wait_bounded)
