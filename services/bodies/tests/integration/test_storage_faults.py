"""Bodies' catalogue writes and bakes during its database's faults (another process or
session holding its locks, on SQLite and PostgreSQL; SQLite's file read-only): each refused
within its deadline, no row written, reads and readiness answered, writes taken again
afterwards."""

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import Client

from cupcake_testing.clock import ManualClock
from cupcake_testing.deadlines import under_deadline
from cupcake_testing.storage_faults import Answer, fault_round
from integration.helpers import as_response, bake, catalogue_rows, stored_counts

pytestmark = pytest.mark.integration

LEMON = {"slug": "lemon", "name": "Lemon", "color": "#f7e36b"}
# A front door's budget, well under SQLite's own 5 s busy timeout.
DEADLINE = 0.3


def answer(work: Callable[[], Any]) -> Answer:
    """What ``work`` answered in a request given DEADLINE, as the checks see it."""
    response = as_response(under_deadline(DEADLINE, work, clock=ManualClock()))
    return Answer(response.status_code, response.get("Retry-After"), json.loads(response.content))


def test_writes_and_bakes_during_a_storage_fault_are_503_and_reads_go_on(
    storage_fault: tuple[AbstractContextManager[object], str],
    client: Client,
    auth: dict[str, str],
) -> None:
    fault, reason = storage_fault
    body = json.dumps(LEMON)
    fault_round(
        fault,
        writes=[
            lambda: answer(
                lambda: client.post("/api/v1/bodies", body, "application/json", headers=auth)
            ),
            lambda: answer(lambda: bake(client)),
        ],
        ready=lambda: answer(lambda: client.get("/readyz")),
        read=lambda: answer(lambda: client.get("/api/v1/bodies/vanilla")),
        stored=lambda: (catalogue_rows(), stored_counts()),
        reason=reason,
    )
