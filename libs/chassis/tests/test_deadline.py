"""The deadline middleware: budgets from the caller, capped, refused when already spent."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import httpx
import pytest

from cupcake_chassis.deadline import (
    Deadline,
    DeadlineMiddleware,
    current_deadline,
    parse_deadline_ms,
)
from cupcake_chassis.problems import StartResponse
from cupcake_testing.clock import ManualClock


def budget_echo(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    """A WSGI app answering with the milliseconds its request has left."""
    deadline = current_deadline()
    assert deadline is not None
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [str(int(deadline.remaining() * 1000)).encode()]


def serve(default_seconds: float) -> httpx.Client:
    """A client of ``budget_echo`` behind the middleware, on a clock that stands still."""
    app = DeadlineMiddleware(budget_echo, default_seconds=default_seconds, clock=ManualClock())
    return httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://svc.test")


def test_a_request_without_a_deadline_gets_the_default_budget() -> None:
    assert serve(1.0).get("/").text == "1000"


def test_the_callers_smaller_deadline_is_adopted() -> None:
    assert serve(1.0).get("/", headers={"Request-Deadline-Ms": "250"}).text == "250"


def test_a_caller_cannot_extend_the_services_own_budget() -> None:
    assert serve(0.5).get("/", headers={"Request-Deadline-Ms": "60000"}).text == "500"


def test_a_request_whose_deadline_has_passed_is_refused_with_504() -> None:
    answer = serve(1.0).get("/", headers={"Request-Deadline-Ms": "0"})
    assert answer.status_code == 504
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["type"] == "urn:cupcake-lab:problem:deadline-exceeded"


def test_the_deadline_is_gone_after_the_request() -> None:
    serve(1.0).get("/")
    assert current_deadline() is None


@pytest.mark.parametrize(
    ("raw", "seconds"), [("250", 0.25), (" 10 ", 0.01), ("-5", None), ("soon", None), (None, None)]
)
def test_deadline_header_values_are_parsed_strictly(raw: str | None, seconds: float | None) -> None:
    assert parse_deadline_ms(raw) == seconds


def test_the_budget_received_is_reported_in_server_timing() -> None:
    answer = serve(1.0).get("/", headers={"Request-Deadline-Ms": "250"})
    assert answer.headers["server-timing"] == "deadline;dur=250"


def test_a_deadline_counts_down_on_its_clock() -> None:
    clock = ManualClock()
    deadline = Deadline.after(0.3, clock=clock)

    clock.advance(0.1)
    assert deadline.remaining() == pytest.approx(0.2)
    clock.advance(0.25)
    assert deadline.remaining() == pytest.approx(-0.05)
