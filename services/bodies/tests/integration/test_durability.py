"""Durability: SQLite in WAL mode with a busy timeout; a bake and its key commit together."""

import os

import pytest
from django.db import connection
from django.test import Client

from bodies.assembler.models import IdempotencyRecord
from bodies.config.database import SQLITE_CACHE_KIB
from fakes import FakePeers
from integration.helpers import bake, problem_of, stored_counts

pytestmark = pytest.mark.integration

ON_SQLITE = not os.environ.get("CUPCAKE_TEST_DATABASE_URL")


@pytest.mark.skipif(not ON_SQLITE, reason="SQLite's own settings")
def test_the_real_connection_runs_in_wal_mode_with_a_busy_timeout_and_a_small_cache(
    database: None, backend: str
) -> None:
    if backend != "sqlite":
        pytest.skip("SQLite's own settings: PostgreSQL logs ahead of writing by itself")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal_mode = cursor.fetchone()[0]
        cursor.execute("PRAGMA busy_timeout")
        busy_timeout = cursor.fetchone()[0]
        cursor.execute("PRAGMA cache_size")
        cache_size = cursor.fetchone()[0]

    assert journal_mode == "wal"
    assert busy_timeout == 5000
    assert cache_size == -SQLITE_CACHE_KIB  # negative: KiB, not pages


def test_a_bake_whose_key_cannot_be_kept_saves_no_cupcake(
    client: Client, fake_peers: FakePeers, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(**fields: object) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(IdempotencyRecord.objects, "create", fail)

    problem_of(bake(client, key="k-1"), 500)

    assert stored_counts() == (0, 0)
