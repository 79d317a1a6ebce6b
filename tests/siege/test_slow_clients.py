"""Slow and idle clients: one client holding 2,000 half-open connections to a service (each
sends a request line and one header, then nothing) does not keep another client's request
waiting, and the page keeps composing.

Before, granian took at most 1,024 connections per worker (its backpressure, a permit held
for a connection's whole life) and read a request's headers for up to 30 s: the half-open
connections held every permit, the next ones filled the listen backlog, and another
client could not connect for 10 s. Now each service takes up to 4,096 connections and cuts
one that has not sent its headers within 10 s; the attacker here opens a new connection for
each one cut, so it holds its 2,000 all along.
"""

from __future__ import annotations

import errno
import resource
import selectors
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from statistics import median

import httpx
import pytest

from tests.e2e.conftest import SERVICES, RunningLab
from tests.failure.conftest import COMPOSE, WITHIN_DEADLINE
from tests.siege.conftest import figures_record

HALF_OPEN = 2000
# Longer than the services' header-read timeout (10 s), so that the attacker has to open
# again the connections the services cut.
HOLD_SECONDS = 12.0
ANSWER_WITHIN = 2.0
PROBE_EVERY = 0.5
READS = {
    "bodies": "/api/v1/bodies",
    "frostings": "/api/v1/frostings",
    "toppings": "/api/v1/toppings",
}


class HalfOpenClient:
    """One client holding ``count`` connections to ``address``, each with a request line and
    one header sent and nothing more; a connection the server closes is opened again."""

    def __init__(self, address: tuple[str, int], path: str, count: int) -> None:
        self.address = address
        self.partial = f"GET {path} HTTP/1.1\r\nHost: {address[0]}:{address[1]}\r\n".encode()
        self.count = count
        self.held = 0  # connected, partial request sent, not closed by the server
        self.cut = 0  # closed by the server
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="half-open", daemon=True)
        self._selector = selectors.DefaultSelector()

    def start(self) -> None:
        """Open the connections (in a thread of its own) and keep them open."""
        self._thread.start()

    def stop(self) -> None:
        """Close every connection."""
        self._stop.set()
        self._thread.join(timeout=30)

    def _open(self) -> None:
        sock = socket.socket()
        sock.setblocking(False)
        code = sock.connect_ex(self.address)
        if code not in (0, errno.EINPROGRESS):
            sock.close()
            return
        self._selector.register(sock, selectors.EVENT_WRITE)

    def _run(self) -> None:
        for _ in range(self.count):
            self._open()
        while not self._stop.is_set():
            for key, events in self._selector.select(timeout=0.1):
                sock = key.fileobj
                assert isinstance(sock, socket.socket)
                if events & selectors.EVENT_WRITE:  # connected (or failed to)
                    if sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
                        sock.send(self.partial)
                        self._selector.modify(sock, selectors.EVENT_READ)
                        self.held += 1
                    else:
                        self._selector.unregister(sock)
                        sock.close()
                        self._open()
                    continue
                try:  # readable: the server answered (408, ...) or closed it
                    sock.recv(65536)
                except OSError:
                    pass
                self._selector.unregister(sock)
                sock.close()
                self.held -= 1
                self.cut += 1
                self._open()
        for key in list(self._selector.get_map().values()):
            key.fileobj.close()  # type: ignore[union-attr]
        self._selector.close()


@contextmanager
def half_open(lab: RunningLab, service: str) -> Iterator[HalfOpenClient]:
    """``HALF_OPEN`` half-open connections to ``service`` while the block runs."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = HALF_OPEN + 512
    if soft < needed:
        assert hard >= needed, f"this test needs {needed} open files, the limit is {hard}"
        resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))
    url = httpx.URL(lab.urls[service])
    attacker = HalfOpenClient((url.host, url.port or 80), READS[service], HALF_OPEN)
    attacker.start()
    try:
        started = time.monotonic()
        while attacker.held < HALF_OPEN:
            assert time.monotonic() - started < 30, f"only {attacker.held} connections held"
            time.sleep(0.05)
        yield attacker
    finally:
        attacker.stop()


def timed_get(url: str) -> tuple[httpx.Response, float]:
    """GET ``url`` on a new connection, as another client would, timed from connecting."""
    with httpx.Client(timeout=10) as client:  # built before the clock starts
        started = time.perf_counter()
        response = client.get(url)
        return response, time.perf_counter() - started


@pytest.mark.parametrize("service", SERVICES)
def test_another_client_is_answered_while_one_holds_2000_half_open_connections(
    lab: RunningLab, service: str
) -> None:
    reads: list[float] = []
    compositions: list[float] = []
    held: list[int] = []
    with half_open(lab, service) as attacker:
        ends = time.monotonic() + HOLD_SECONDS
        while time.monotonic() < ends:
            held.append(attacker.held)
            response, seconds = timed_get(lab.urls[service] + READS[service])
            assert response.status_code == 200, response.text
            assert seconds <= ANSWER_WITHIN, f"{service} answered in {seconds:.2f} s"
            reads.append(seconds)
            response, seconds = timed_get(lab.urls["bodies"] + COMPOSE)
            assert response.status_code == 200, response.text
            body = response.json()
            assert body["complete"], body
            assert {s["status"] for s in body["services"].values()} == {"ok"}, body["services"]
            assert seconds < WITHIN_DEADLINE, f"a composition took {seconds:.2f} s"
            compositions.append(seconds)
            time.sleep(PROBE_EVERY)
        cut = attacker.cut
    figures_record(
        {
            "load": f"{HALF_OPEN} half-open connections to {service}",
            "seconds": HOLD_SECONDS,
            "held (median of probes)": median(held),
            "cut by the header timeout and opened again": cut,
            "read max ms": round(max(reads) * 1000, 1),
            "composition max ms": round(max(compositions) * 1000, 1),
        }
    )
    assert median(held) >= 0.95 * HALF_OPEN, f"the attacker held only {median(held)} connections"
    assert cut >= HALF_OPEN * 0.9, (
        "the services' header-read timeout did not cut the half-open connections"
    )
