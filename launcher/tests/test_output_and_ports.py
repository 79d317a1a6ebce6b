"""Log lines are prefixed per service; busy ports are detected before starting."""

import io
import json
import socket

import pytest

from cupcake_lab.output import LinePrinter
from cupcake_lab.ports import port_is_free


def test_service_lines_carry_the_service_name_as_prefix() -> None:
    stream = io.StringIO()
    LinePrinter(stream, colour=False).service_line("toppings", "magenta", "GET /healthz 200")
    assert stream.getvalue() == " toppings | GET /healthz 200\n"


def test_colour_wraps_the_prefix_in_ansi_codes() -> None:
    stream = io.StringIO()
    LinePrinter(stream, colour=True).service_line("bodies", "yellow", "hello")
    assert stream.getvalue().startswith("\x1b[33m   bodies |\x1b[0m hello")


def test_a_port_held_by_a_listener_is_not_free() -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        assert not port_is_free("127.0.0.1", port)
    assert port_is_free("127.0.0.1", port)


def test_a_json_log_record_is_printed_as_short_text() -> None:
    out = io.StringIO()
    record = {
        "ts": "2026-11-28T22:01:02.123Z",
        "level": "INFO",
        "logger": "cupcake.access",
        "event": "GET /api/v1/frostings 200 3.1ms",
        "service": "frostings",
        "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736",
    }
    LinePrinter(out, colour=False).service_line("frostings", "cyan", json.dumps(record))
    assert out.getvalue() == "frostings | 22:01:02 GET /api/v1/frostings 200 3.1ms trace 4bf92f35\n"


def test_a_warning_says_its_level_in_colour() -> None:
    out = io.StringIO()
    record = {"ts": "2026-11-28T22:01:02Z", "level": "WARNING", "event": "toppings ConnectError"}
    LinePrinter(out, colour=True).service_line("bodies", "green", json.dumps(record))
    assert "\x1b[33mWARNING\x1b[0m toppings ConnectError" in out.getvalue()


@pytest.mark.parametrize("line", ["plain text", "{not json", '{"no": "event"}', "[1, 2]"])
def test_other_lines_are_printed_as_they_are(line: str) -> None:
    out = io.StringIO()
    LinePrinter(out, colour=False).service_line("toppings", "blue", line)
    assert out.getvalue() == f" toppings | {line}\n"
