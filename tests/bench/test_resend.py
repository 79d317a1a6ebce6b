"""The Locust people send a request once more when its connection closes unanswered, as a
browser does, and only then: against real sockets on loopback."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from urllib3 import HTTPConnectionPool
from urllib3.exceptions import MaxRetryError, ProtocolError, ReadTimeoutError

from bench.resend import ResendUnanswered
from cupcake_lab.ports import free_port

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
BUSY = b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 30\r\nContent-Length: 0\r\n\r\n"

# What the server does with the n-th request it reads (from 0) on connection c (from 0):
# the bytes to answer, or None to close the connection without answering.
Script = Callable[[int, int], bytes | None]


def read_request(connection: socket.socket) -> bool:
    """Read one request head; False when the client closed the connection."""
    head = b""
    while b"\r\n\r\n" not in head:
        try:
            chunk = connection.recv(4096)
        except TimeoutError:  # the client keeps it open, idle: the test is over
            return False
        if not chunk:
            return False
        head += chunk
    return True


@contextmanager
def server(script: Script) -> Iterator[int]:
    """A server on a free loopback port answering as ``script`` says; yields the port."""
    listener = socket.create_server(("127.0.0.1", free_port()))
    listener.settimeout(0.1)
    done = threading.Event()

    def serve() -> None:
        connections = 0
        while not done.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(2)
                requests = 0
                while read_request(connection):
                    answer = script(connections, requests)
                    requests += 1
                    if answer is None:
                        break
                    connection.sendall(answer)
            connections += 1

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        done.set()
        thread.join(5)
        listener.close()


def pool_and_count(port: int) -> tuple[HTTPConnectionPool, ResendUnanswered, list[str]]:
    """A connection pool to ``port``, the retries under test and what they were told."""
    told: list[str] = []
    retries = ResendUnanswered(on_resend=lambda method, url, pool: told.append(f"{method} {url}"))
    return HTTPConnectionPool("127.0.0.1", port, maxsize=1, timeout=1.0), retries, told


def test_a_request_on_a_kept_alive_connection_closed_under_it_is_sent_again() -> None:
    # The second request on the first connection meets a server closing it unanswered.
    with server(
        lambda connection, request: None if (connection, request) == (0, 1) else OK
    ) as port:
        pool, retries, told = pool_and_count(port)
        assert pool.urlopen("GET", "/first", retries=retries).status == 200

        answer = pool.urlopen("POST", "/bake", retries=retries)

    assert answer.status == 200 and answer.data == b"ok"
    assert told == ["POST /bake"]


def test_a_request_is_sent_again_once_only() -> None:
    with server(lambda connection, request: None) as port:
        pool, retries, told = pool_and_count(port)
        with pytest.raises(ProtocolError):
            pool.urlopen("GET", "/", retries=retries)
    assert told == ["GET /"]


def test_a_timeout_is_not_sent_again() -> None:
    def slow(connection: int, request: int) -> bytes:
        time.sleep(1.5)
        return OK

    with server(slow) as port:
        pool, retries, told = pool_and_count(port)
        started = time.monotonic()
        with pytest.raises(ReadTimeoutError):
            pool.urlopen("GET", "/", retries=retries)
        assert time.monotonic() - started < 1.4 and told == []


def test_a_refused_connection_is_not_tried_again() -> None:
    pool, retries, told = pool_and_count(free_port())
    with pytest.raises(MaxRetryError):
        pool.urlopen("GET", "/", retries=retries)
    assert told == []


def test_a_retry_after_is_an_answer_not_waited_out() -> None:
    with server(lambda connection, request: BUSY) as port:
        pool, retries, told = pool_and_count(port)
        started = time.monotonic()
        answer = pool.urlopen("POST", "/bake", retries=retries)
        assert answer.status == 503 and time.monotonic() - started < 5 and told == []
