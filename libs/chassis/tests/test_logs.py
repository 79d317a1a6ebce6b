"""Structured logs: one JSON object per line, with the service and the request's ids."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from typing import Any

import httpx
import pytest

from cupcake_chassis.logs import logging_configure, logs_flush
from cupcake_chassis.observe import request_done
from cupcake_chassis.problems import StartResponse
from cupcake_chassis.tracecontext import TraceContextMiddleware

PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


@pytest.fixture(autouse=True)
def root_handlers_restored() -> Iterator[None]:
    """The other tests' records stay off stderr: only these configure JSON logging."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    logs_flush()
    root.handlers[:] = handlers
    root.setLevel(level)


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def logging_app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    """A WSGI app that logs its request as a service's request hook does."""
    request_done(method="GET", route="/items/{slug}", path="/items/a", status=200, seconds=0.0123)
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]


def test_a_request_is_one_json_line_with_its_ids(capsys: pytest.CaptureFixture[str]) -> None:
    logging_configure("frostings")
    app = TraceContextMiddleware(logging_app)
    with httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://s.test") as c:
        c.get("/items/a?token=secret", headers={"traceparent": PARENT, "X-Request-ID": "r-9"})
    logs_flush()
    [line] = [r for r in json_lines(capsys.readouterr().err) if r["logger"] == "cupcake.access"]
    assert line["service"] == "frostings"
    assert line["level"] == "INFO"
    assert line["event"] == "GET /items/a 200 12.3ms"
    assert line["trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert line["request_id"] == "r-9"
    assert len(line["span_id"]) == 16
    assert (line["method"], line["route"], line["path"]) == ("GET", "/items/{slug}", "/items/a")
    assert (line["status"], line["duration_ms"]) == (200, 12.3)
    assert line["ts"].endswith("Z") and line["ts"][10] == "T"
    assert "secret" not in json.dumps(line)


def test_a_record_outside_a_request_has_no_ids(capsys: pytest.CaptureFixture[str]) -> None:
    logging_configure("toppings")
    logging.getLogger("toppings.migrate").warning("schema at %s", "head")
    logs_flush()
    [line] = [r for r in json_lines(capsys.readouterr().err) if r["logger"] == "toppings.migrate"]
    assert line == {
        "ts": line["ts"],
        "level": "WARNING",
        "logger": "toppings.migrate",
        "event": "schema at head",
        "service": "toppings",
    }


def test_an_error_keeps_its_traceback_in_the_line(capsys: pytest.CaptureFixture[str]) -> None:
    logging_configure("bodies")
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        logging.getLogger("bodies.x").exception("failed")
    logs_flush()
    [line] = [r for r in json_lines(capsys.readouterr().err) if r["logger"] == "bodies.x"]
    assert line["level"] == "ERROR"
    assert "RuntimeError: boom" in json.dumps(line)


def test_configuring_again_keeps_one_handler() -> None:
    logging_configure("bodies")
    logging_configure("bodies")
    root = logging.getLogger()
    assert sum(type(h).__name__ == "_WriterHandler" for h in root.handlers) == 1
