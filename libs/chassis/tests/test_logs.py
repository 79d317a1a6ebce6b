"""Structured logs: one JSON object per line, with the service and the request's ids."""

from __future__ import annotations

import io
import json
import logging
import threading
from collections.abc import Iterable, Iterator
from typing import Any

import httpx
import pytest

from cupcake_chassis.logs import (
    LineEntry,
    LineWriter,
    line_log,
    logging_configure,
    logs_flush,
    utc_timestamp,
)
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


@pytest.fixture
def writer_only() -> Iterator[None]:
    """The chassis' handler alone on the root logger, as in a service (pytest adds its own
    handlers, which send request lines through ``logging`` instead)."""
    logging_configure("frostings")
    root = logging.getLogger()
    handlers = list(root.handlers)
    root.handlers[:] = [h for h in handlers if type(h).__name__ == "_WriterHandler"]
    yield
    root.handlers[:] = handlers


def test_a_request_line_has_the_shape_of_any_other_record(
    writer_only: None, capsys: pytest.CaptureFixture[str]
) -> None:
    log = logging.getLogger("cupcake.access")
    fields = {"method": "GET", "status": 200}

    def both(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        line_log(log, logging.INFO, "%s %d", ("GET", 200), fields)
        log.info("%s %d", "GET", 200, extra=fields)
        start_response("200 OK", [])
        return [b""]

    app = TraceContextMiddleware(both)
    with httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://s.test") as c:
        c.get("/", headers={"traceparent": PARENT})
    logs_flush()
    fast, slow = [r for r in json_lines(capsys.readouterr().err) if r["logger"] == log.name]
    assert list(fast) == list(slow)  # the same fields, in the same order
    assert {**fast, "ts": ""} == {**slow, "ts": ""}
    assert fast["trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert list(fast)[:5] == ["ts", "level", "logger", "event", "service"]


def test_request_lines_reach_any_other_handler_as_records(
    caplog: pytest.LogCaptureFixture,
) -> None:
    logging_configure("toppings")
    with caplog.at_level(logging.INFO, logger="cupcake.access"):
        request_done(method="GET", route=None, path="/x", status=404, seconds=0.001)
    [record] = [r for r in caplog.records if r.name == "cupcake.access"]
    assert record.getMessage() == "GET /x 404 1.0ms"
    assert record.__dict__["route"] == "<unmatched>"


class Stream(io.StringIO):
    """A stand-in for stderr that keeps each write."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[str] = []
        self.written = threading.Event()

    def write(self, text: str) -> int:
        """Keep ``text`` as one write."""
        self.writes.append(text)
        self.written.set()
        return len(text)


def entry(event: str) -> LineEntry:
    return (0.0, "INFO", "cupcake.access", "%s", (event,), {"n": 1}, {})


@pytest.fixture
def stderr() -> Stream:
    """A ``Stream`` for a ``LineWriter`` to write to."""
    return Stream()


def test_lines_wait_in_memory_and_are_written_in_one_write(stderr: Stream) -> None:
    writer = LineWriter(interval=3600, stream=lambda: stderr)
    writer.configure("bodies", queued=True)
    try:
        for event in ("a", "b", "c"):
            writer.put(entry(event))
        assert stderr.writes == []
        writer.flush()
        [batch] = stderr.writes
        assert [json.loads(line)["event"] for line in batch.splitlines()] == ["a", "b", "c"]
        assert json.loads(batch.splitlines()[0])["ts"] == "1970-01-01T00:00:00.000Z"
    finally:
        writer.thread.stop()


def test_the_writer_thread_writes_on_its_own(stderr: Stream) -> None:
    writer = LineWriter(interval=0.01, stream=lambda: stderr)
    writer.configure("bodies", queued=True)
    try:
        writer.put(entry("a"))
        assert stderr.written.wait(timeout=5), "the writer thread wrote nothing"
        assert json.loads(stderr.writes[0])["event"] == "a"
    finally:
        writer.thread.stop()


def test_without_the_queue_a_line_is_written_at_once(stderr: Stream) -> None:
    writer = LineWriter(stream=lambda: stderr)
    writer.configure("bodies", queued=False)
    writer.put(entry("a"))
    assert json.loads(stderr.writes[0])["service"] == "bodies"


def test_a_line_that_cannot_be_made_is_replaced_by_one_that_says_so(stderr: Stream) -> None:
    writer = LineWriter(stream=lambda: stderr)
    writer.configure("bodies", queued=False)
    bad: LineEntry = (0.0, "INFO", "x", "%d", ("not a number",), {}, {})
    writer.put(bad)
    assert json.loads(stderr.writes[0])["event"].startswith("unloggable: TypeError")


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0.0, "1970-01-01T00:00:00.000Z"),
        (1.5, "1970-01-01T00:00:01.500Z"),
        (1.999, "1970-01-01T00:00:01.999Z"),
        (86400.25, "1970-01-02T00:00:00.250Z"),
    ],
)
def test_a_lines_time_is_utc_to_the_millisecond(seconds: float, text: str) -> None:
    assert utc_timestamp(seconds) == text
