"""A load generator for the siege tests: many users, each on one keep-alive connection,
every answer timed as the user sees it.

Written on asyncio streams with a minimal HTTP/1.1 exchange (GET, ``Content-Length``
bodies), because the figures that matter are per answer (its status, its time, its
``Retry-After``), which wrk does not give, and an HTTP client library spends more of the
shared CPU per request than the services it measures. Each user sends a request, reads the
whole answer, and sends the next at once; after a refusal it does what ``Retry-After``
asks (plus jitter), as a well-behaved client does. A request that gets no answer (the
connection refused, reset, or silent past ``ANSWER_TIMEOUT``) is recorded as lost.
"""

from __future__ import annotations

import asyncio
import gc
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

ANSWER_TIMEOUT = 10.0
LOST = 0  # the status of a request that got no answer
# How often the client checks how late its own event loop runs: every answer's time as
# measured here includes that lateness, which is the client's (or the machine's), not the
# service's.
LAG_TICK = 0.005


@dataclass(frozen=True)
class Answer:
    """One request as its user saw it."""

    sent: float  # monotonic seconds when it was sent
    status: int  # LOST when no answer came
    seconds: float  # from sending to the last byte of the answer (or to giving up)
    retry_after: str | None = None
    media_type: str | None = None  # kept for answers other than 200 only


@dataclass
class Target:
    """Where the users send their requests: host, port and the paths they take in turn."""

    host: str
    port: int
    paths: Sequence[str]

    @classmethod
    def of(cls, base_url: str, *paths: str) -> Target:
        """The target ``paths`` on the service at ``base_url``."""
        parts = urlsplit(base_url)
        assert parts.hostname is not None and parts.port is not None, base_url
        return cls(parts.hostname, parts.port, paths)

    def request(self, index: int) -> bytes:
        """The bytes of the ``index``-th request (the paths are taken in turn)."""
        path = self.paths[index % len(self.paths)]
        return f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n\r\n".encode()


@dataclass
class Run:
    """What one load run gave: every answer, and when the load started and stopped."""

    users: int
    started: float
    stopped: float
    ramp: float = 0.0  # seconds over which the users arrived
    answers: list[Answer] = field(default_factory=list)
    lags: list[float] = field(default_factory=list)  # how late the client's loop woke up

    def of_status(self, status: int) -> list[Answer]:
        """The answers with ``status``."""
        return [a for a in self.answers if a.status == status]

    def settled_seconds(self, status: int) -> list[float]:
        """How long each answer with ``status`` took, of the requests sent once every user
        had arrived (the ramp is the load's warm-up, as `make bench`'s first second is)."""
        settled = self.started + self.ramp
        return [a.seconds for a in self.answers if a.status == status and a.sent >= settled]

    @property
    def seconds(self) -> float:
        """How long the load lasted."""
        return self.stopped - self.started

    def per_second(self, status: int) -> float:
        """Answers with ``status`` per second of load."""
        return len(self.of_status(status)) / self.seconds


class _Connection:
    """One user's keep-alive connection, opened again whenever the server closed it."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def exchange(self, request: bytes) -> tuple[int, dict[str, str]]:
        """Send ``request`` and read its answer: its status and headers (names in lower
        case)."""
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.target.host, self.target.port)
        reader, writer = self.streams
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        await reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers

    def close(self) -> None:
        """Close the connection (the next exchange opens a new one)."""
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


async def _user(target: Target, run: Run, *, until: float, delay: float, polite: bool) -> None:
    await asyncio.sleep(delay)
    connection = _Connection(target)
    index = random.randrange(len(target.paths))
    try:
        while time.monotonic() < until:
            sent = time.monotonic()
            try:
                status, headers = await asyncio.wait_for(
                    connection.exchange(target.request(index)), ANSWER_TIMEOUT
                )
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
                connection.close()
                run.answers.append(Answer(sent, LOST, time.monotonic() - sent))
                await asyncio.sleep(0.1)
                continue
            seconds = time.monotonic() - sent
            retry_after = headers.get("retry-after")
            media_type = None if status == 200 else headers.get("content-type")
            run.answers.append(Answer(sent, status, seconds, retry_after, media_type))
            index += 1
            if polite and retry_after is not None and retry_after.isdigit():
                # At least what was asked, spread so that refused users do not come back
                # all in the same instant; none past the end of the run.
                pause = int(retry_after) * random.uniform(1.0, 1.5)
                await asyncio.sleep(max(0.0, min(pause, until - time.monotonic())))
    finally:
        connection.close()


async def _lag_watch(run: Run, *, until: float) -> None:
    while (asked := time.monotonic()) < until:
        await asyncio.sleep(LAG_TICK)
        run.lags.append(time.monotonic() - asked - LAG_TICK)


async def _load(target: Target, *, users: int, seconds: float, ramp: float, polite: bool) -> Run:
    started = time.monotonic()
    run = Run(users=users, started=started, stopped=started, ramp=ramp)
    until = started + seconds
    await asyncio.gather(
        _lag_watch(run, until=until),
        *(
            _user(target, run, until=until, delay=ramp * i / users, polite=polite)
            for i in range(users)
        ),
    )
    run.stopped = time.monotonic()
    return run


def load(
    target: Target, *, users: int, seconds: float, ramp: float = 1.0, polite: bool = True
) -> Run:
    """``users`` users on ``target`` for ``seconds`` (arriving evenly over ``ramp`` seconds),
    each sending its next request as soon as the last is answered; ``polite`` users wait as
    a refusal's ``Retry-After`` asks."""
    # No collections during the run: a pass over the answers kept so far would stall every
    # user at once and show as the services' latency. The run makes no garbage cycles.
    gc.disable()
    try:
        return asyncio.run(_load(target, users=users, seconds=seconds, ramp=ramp, polite=polite))
    finally:
        gc.enable()


def percentile(values: Sequence[float], fraction: float) -> float:
    """The ``fraction`` percentile of ``values`` (nearest rank; 0.0 for none)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]
