"""The launcher's probe against a real HTTP server answering as a service's probes would."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from cupcake_lab.readiness import probe

Answers = dict[str, tuple[int, Any]]


@pytest.fixture
def service() -> Iterator[tuple[str, Answers]]:
    """A server on a free loopback port answering each path as ``answers`` says."""
    answers: Answers = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            status, body = answers[self.path]
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", answers
    finally:
        server.shutdown()
        server.server_close()


def test_a_service_with_every_check_ok_is_ready(service: tuple[str, Answers]) -> None:
    url, answers = service
    answers["/healthz"] = (200, {"status": "ok"})
    answers["/readyz"] = (200, {"status": "ok", "checks": {"database": {"status": "ok"}}})

    seen = probe(url)

    assert (seen.alive, seen.ready, seen.detail) == (True, True, "ready")


def test_a_degraded_service_is_ready_and_says_which_checks_failed(
    service: tuple[str, Answers],
) -> None:
    url, answers = service
    answers["/healthz"] = (200, {"status": "ok"})
    checks = {
        "database": {"status": "ok"},
        "writable": {"status": "fail", "detail": "read-only"},
        "disk": {"status": "fail", "detail": "full"},
    }
    answers["/readyz"] = (200, {"status": "degraded", "checks": checks})

    seen = probe(url)

    assert (seen.alive, seen.ready, seen.detail) == (True, True, "degraded: disk, writable")


def test_a_service_that_cannot_serve_is_alive_but_not_ready(
    service: tuple[str, Answers],
) -> None:
    url, answers = service
    answers["/healthz"] = (200, {"status": "ok"})
    answers["/readyz"] = (503, {"status": "fail", "checks": {"database": {"status": "fail"}}})

    seen = probe(url)

    assert (seen.alive, seen.ready) == (True, False)
    assert seen.detail.startswith("readyz 503")
