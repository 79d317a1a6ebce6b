"""The lab on PostgreSQL: ``cupcake-lab up`` with each service on a database of its own.

The three databases are made for this module on the server of CUPCAKE_TEST_POSTGRES_URL
(skipped without it, a failure in CI) and dropped when the lab has stopped.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
import pytest

from cupcake_testing.postgres import postgres_server_url, throwaway_database

from .conftest import SERVICES, RunningLab, start_lab, stop_lab

CUPCAKE = {"body": "vanilla", "frosting": "strawberry", "topping": "cherry"}


@dataclass
class PostgresLab:
    """A lab started by the launcher, and the URL of each service's PostgreSQL database."""

    lab: RunningLab
    database_urls: dict[str, str]
    state_dir: Path


@pytest.fixture(scope="module")
def postgres_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresLab]:
    """A lab whose services keep their data in three fresh PostgreSQL databases."""
    server = postgres_server_url()
    with ExitStack() as databases:
        urls = {
            name: databases.enter_context(throwaway_database(server, prefix=f"cupcake_e2e_{name}"))
            for name in SERVICES
        }
        # The plain URL for bodies (dj-database-url), the two spellings the others accept.
        extra_env = {
            "BODIES_DATABASE_URL": urls["bodies"],
            "FROSTINGS_DATABASE_URL": urls["frostings"].replace("postgresql://", "postgres://"),
            "TOPPINGS_DATABASE_URL": urls["toppings"],
        }
        folder = tmp_path_factory.mktemp("postgres-lab")
        running = start_lab(folder, extra_env=extra_env)
        try:
            yield PostgresLab(lab=running, database_urls=urls, state_dir=folder / "state")
        finally:
            # Stopped before the databases are dropped: a service still connected would
            # keep its database from being dropped.
            assert stop_lab(running) == 0, running.output.read_text()


def rows_in(database_url: str, query: str) -> list[tuple[object, ...]]:
    """The rows ``query`` reads in the database at ``database_url``."""
    with psycopg.connect(database_url) as connection:
        return connection.execute(query).fetchall()


def test_a_cupcake_is_composed_baked_and_found_in_the_gallery_on_postgresql(
    postgres_lab: PostgresLab,
) -> None:
    bodies = postgres_lab.lab.urls["bodies"]

    composed = httpx.get(f"{bodies}/api/v1/cupcake", params=CUPCAKE, timeout=10)
    baked = httpx.post(
        f"{bodies}/api/v1/cupcakes",
        json={**CUPCAKE, "name": "Postgres Pink"},
        headers={"Idempotency-Key": str(uuid.uuid4())},
        timeout=10,
    )
    gallery = httpx.get(f"{bodies}/api/v1/cupcakes", timeout=10)

    assert composed.status_code == 200, composed.text
    statuses = {name: service["status"] for name, service in composed.json()["services"].items()}
    assert statuses == {"bodies": "ok", "frostings": "ok", "toppings": "ok"}
    assert composed.json()["complete"] is True
    assert baked.status_code == 201, baked.text
    cupcake = baked.json()
    assert gallery.json()["items"][0] == cupcake
    assert httpx.get(baked.headers["Location"], timeout=10).json() == cupcake
    # Each service keeps its data in its own PostgreSQL database, not in a SQLite file.
    assert rows_in(
        postgres_lab.database_urls["bodies"], "SELECT id::text, name FROM assembler_cupcake"
    ) == [(cupcake["id"], "Postgres Pink")]
    assert rows_in(
        postgres_lab.database_urls["frostings"],
        "SELECT slug FROM frostings WHERE slug = 'strawberry'",
    ) == [("strawberry",)]
    assert rows_in(
        postgres_lab.database_urls["toppings"], "SELECT slug FROM toppings WHERE slug = 'cherry'"
    ) == [("cherry",)]
    assert not list(postgres_lab.state_dir.glob("*.sqlite3"))
