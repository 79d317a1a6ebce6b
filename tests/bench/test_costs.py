"""The in-process cost table: its timing, its WSGI calls and its Markdown."""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.costs.layers import COUNTED, LOGGED_AND_COUNTED, PER_REQUEST, WRAPPERS, trivial
from bench.costs.table import LOG_LINE, ReadCost, chassis_table, reads_table
from bench.costs.timing import environ_for, per_call_us, wsgi_get
from bench.reads import DOCUMENTS_ENV, READS, capture, documents_write

ROOT = Path(__file__).resolve().parents[2]


def test_the_time_per_call_is_the_median_batch() -> None:
    ticks = iter([0, 10_000, 10_000, 40_000, 40_000, 60_000])  # batches of 10, 30, 20 µs
    assert per_call_us(lambda: None, calls=1, batches=3, clock=lambda: next(ticks)) == 20.0


def test_the_time_is_per_call() -> None:
    ticks = iter([0, 1_000_000])
    calls = []
    us = per_call_us(lambda: calls.append(1), calls=100, batches=1, clock=lambda: next(ticks))
    assert (us, len(calls)) == (10.0, 100)


def test_the_environ_carries_the_path_the_query_and_the_host() -> None:
    environ = environ_for("/api/v1/cupcake?body=vanilla", host="127.0.0.1:8123")
    assert (environ["PATH_INFO"], environ["QUERY_STRING"]) == ("/api/v1/cupcake", "body=vanilla")
    assert (environ["HTTP_HOST"], environ["SERVER_PORT"]) == ("127.0.0.1:8123", "8123")


class Closing:
    """An answer that must be closed, as WSGI requires."""

    closed = False

    def __iter__(self) -> Iterator[bytes]:
        return iter([b"{", b"}"])

    def close(self) -> None:
        Closing.closed = True


def test_a_call_reads_the_whole_answer_and_closes_it() -> None:
    def app(environ: dict[str, Any], start_response: Any) -> Closing:
        environ["changed"] = True
        start_response("200 OK", [])
        return Closing()

    environ = environ_for("/", host="127.0.0.1")
    assert wsgi_get(app, environ) == ("200 OK", b"{}")
    assert Closing.closed
    assert "changed" not in environ  # each request gets its own copy


def test_every_chassis_layer_answers_the_trivial_app(tmp_path: Path) -> None:
    for wrapper in WRAPPERS:
        environ = {**environ_for("/api/v1/toppings", host="127.0.0.1"), **wrapper.environ}
        assert wsgi_get(wrapper.wrap(trivial, tmp_path), environ) == ("200 OK", b"{}"), wrapper
    assert {LOGGED_AND_COUNTED, COUNTED} <= {each.name for each in PER_REQUEST}


def test_the_reads_table_says_what_each_service_adds() -> None:
    lines = reads_table([ReadCost("toppings `GET /api/v1/toppings`", 200.0, 50.0)])
    assert lines[-1] == "| toppings `GET /api/v1/toppings` | 200 | 50 | 150 | 0.25x |"


def test_the_chassis_table_derives_the_log_line() -> None:
    chassis = {
        "bare_us": 1.0,
        "wrappers": [{"name": "the deadline", "us": 3.5}],
        "per_request": [
            {"name": LOGGED_AND_COUNTED, "us": 40.0},
            {"name": COUNTED, "us": 10.0},
            {"name": "call_done", "us": 7.0},
        ],
    }
    lines = chassis_table(chassis)
    assert "| + the deadline | 3.5 |" in lines
    assert lines[-2] == f"| {LOG_LINE} | 30.0 |"


@pytest.mark.parametrize("framework", ["django", "flask", "pyramid"])
def test_each_minimal_view_answers_the_bytes_it_was_given(framework: str, tmp_path: Path) -> None:
    """Through the cost worker, in a process of its own (Django is configured once per
    process), each framework's minimal view writes the captured documents byte for byte."""
    read = next(r for r in READS if r.framework == framework and not r.per_request)
    bodies = {
        "django": b'{"slug":"vanilla","tags":["a","b"]}',
        "flask": b'{"slug":"vanilla","bodies":["z","a"]}\n',
        "pyramid": b'{"slug": "flag", "name": "Flag"}',
    }
    captured = capture(read, bodies[framework], again=bodies[framework])
    documents = documents_write([captured], tmp_path / "documents.json")
    out = tmp_path / "out.json"
    command = [sys.executable, "-m", "bench.costs.worker", "baseline", framework, str(out)]
    subprocess.run(
        [*command, "--calls", "2", "--batches", "1"],
        env={**os.environ, DOCUMENTS_ENV: str(documents), "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        check=True,
        timeout=60,
    )
    [answered] = json.loads(out.read_text())["reads"]
    assert answered["body"].encode("latin-1") == bodies[framework]
