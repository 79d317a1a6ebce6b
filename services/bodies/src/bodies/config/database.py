"""Django database settings from a database URL, with the lab's SQLite tuning."""

from typing import Any

import dj_database_url

SQLITE_ENGINE = "django.db.backends.sqlite3"
# Django's SQLite backend, its lock waits within the request's deadline and writes to a
# read-only file refused (cupcake_chassis.storage).
STORAGE_SQLITE_ENGINE = "bodies.core.storage_sqlite3"
POSTGRESQL_ENGINE = "django.db.backends.postgresql"
# Django's PostgreSQL backend, a write's lock wait within the request's deadline.
STORAGE_POSTGRESQL_ENGINE = "bodies.core.storage_postgresql"
# WAL lets readers go on while one writer writes; the busy timeout makes a second writer wait
# instead of failing at once; IMMEDIATE takes the write lock at BEGIN so two writers cannot
# deadlock upgrading their read locks. Each of the server's threads keeps a connection of its
# own, and SQLite's default page cache is 2 MiB per connection: with dozens of threads that
# grew bodies' memory by 12.5 % over a ten-minute soak. The lab's database fits in a few
# hundred pages and the operating system caches the file anyway, so 256 KiB is enough.
SQLITE_CACHE_KIB = 256
SQLITE_OPTIONS = {
    "init_command": (
        "PRAGMA journal_mode=WAL;PRAGMA busy_timeout=5000;PRAGMA synchronous=NORMAL;"
        f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}"
    ),
    "transaction_mode": "IMMEDIATE",
}


def database_config(*, url: str, conn_max_age: int = 60) -> dict[str, Any]:
    """Return one ``DATABASES`` entry for ``url`` (any scheme dj-database-url knows)."""
    config: dict[str, Any] = dict(
        dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    )
    if config["ENGINE"] == SQLITE_ENGINE:
        config["ENGINE"] = STORAGE_SQLITE_ENGINE
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    elif config["ENGINE"] == POSTGRESQL_ENGINE:
        config["ENGINE"] = STORAGE_POSTGRESQL_ENGINE
    return config
