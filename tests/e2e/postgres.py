"""Throwaway PostgreSQL databases on the server of CUPCAKE_TEST_POSTGRES_URL, for a lab's services.

Each service's own tests hold a fuller version of these helpers (``tests/postgres_databases.py``
in each service: no service's tests import another's); the lab's tests need only these two.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

SERVER_VARIABLE = "CUPCAKE_TEST_POSTGRES_URL"


def postgres_server_url() -> str:
    """The server's URL from CUPCAKE_TEST_POSTGRES_URL, else a skip (a failure in CI)."""
    url = os.environ.get(SERVER_VARIABLE)
    if url:
        return url
    message = f"no PostgreSQL server: {SERVER_VARIABLE} is not set"
    if os.environ.get("CUPCAKE_REQUIRE_ALL_SUITES") == "1":
        pytest.fail(
            f"{message} (e.g. postgresql://postgres@127.0.0.1:5432/postgres); "
            "CUPCAKE_REQUIRE_ALL_SUITES=1 requires every suite to run"
        )
    pytest.skip(message)


@contextmanager
def throwaway_database(server_url: str, *, prefix: str) -> Iterator[str]:
    """A new empty database, named ``<prefix>_<random>``; yields its URL, then drops it.

    A connection still open to it when the block ends (a service that did not stop) is an
    error: the database is then dropped by force, and the leak reported.
    """
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(server_url, autocommit=True) as admin:
            try:
                admin.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))
            except psycopg.errors.ObjectInUse:
                force = sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name))
                admin.execute(force)
                raise AssertionError(f"connections to {name} were left open") from None
