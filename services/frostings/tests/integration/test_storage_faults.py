"""Frostings while another process or session holds its database's locks (SQLite and
PostgreSQL), or its SQLite file is read-only: a create is refused (503, ``Retry-After``)
within the deadline it was sent with, nothing is written, reads and readiness answer, and
it writes again afterwards."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from cupcake_testing.storage_faults import Answer, fault_round

LEMON = {"slug": "lemon", "name": "Lemon", "color": "#ffe066", "bodies": ["vanilla"]}
# A front door's budget, sent as the front door sends it: well under SQLite's own 5 s.
DEADLINE = {"Request-Deadline-Ms": "300"}


def answer(response: TestResponse) -> Answer:
    """The test client's answer, as the checks see it."""
    return Answer(response.status_code, response.headers.get("Retry-After"), response.get_json())


def test_writes_during_a_storage_fault_are_503_and_reads_go_on(
    storage_fault: tuple[AbstractContextManager[object], str],
    client: FlaskClient,
    admin: dict[str, str],
    stored: Callable[[], dict[str, Any]],
) -> None:
    fault, reason = storage_fault
    fault_round(
        fault,
        writes=[
            lambda: answer(
                client.post("/api/v1/frostings", json=LEMON, headers={**admin, **DEADLINE})
            )
        ],
        ready=lambda: answer(client.get("/readyz")),
        read=lambda: answer(client.get("/api/v1/frostings/vanilla")),
        stored=stored,
        reason=reason,
    )
