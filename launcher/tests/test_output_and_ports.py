"""Log lines are prefixed per service; busy ports are detected before starting."""

import io
import socket

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
