"""Toppings' writes during its database's faults (``cupcake_testing.storage_faults``): refused
within the request's deadline and nothing written, while reads and ``/readyz`` answer; the
same app writes again once the fault ends."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from webtest import TestApp, TestResponse

from cupcake_testing.clock import ManualClock
from cupcake_testing.deadlines import under_deadline
from cupcake_testing.storage_faults import Answer, fault_round

GUMDROP = {"slug": "gumdrop", "name": "Gumdrop", "color": "#22c55e"}
# A front door's budget, well under SQLite's own 5 s busy timeout.
DEADLINE = 0.3


def answer(response: TestResponse) -> Answer:
    """WebTest's answer, as the checks see it."""
    return Answer(response.status_code, response.headers.get("Retry-After"), response.json)


def test_writes_during_a_storage_fault_are_503_and_reads_go_on(
    storage_fault: tuple[AbstractContextManager[object], str],
    testapp: TestApp,
    admin: dict[str, str],
    stored_rows: Callable[[], list[Any]],
) -> None:
    fault, reason = storage_fault

    def post() -> TestResponse:
        return testapp.post_json("/api/v1/toppings", GUMDROP, headers=admin, expect_errors=True)

    fault_round(
        fault,
        writes=[lambda: answer(under_deadline(DEADLINE, post, clock=ManualClock()))],
        ready=lambda: answer(testapp.get("/readyz")),
        read=lambda: answer(testapp.get("/api/v1/toppings/cherry")),
        stored=stored_rows,
        reason=reason,
    )
