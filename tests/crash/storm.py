"""A storm of writes from several threads, every attempt and its answer (or lack of one) kept.

What an attempt's outcome says about whether its write may be stored:

- ``acknowledged``: answered 2xx (a replay included): the write is stored.
- ``in flight``: the request was sent on a connection and no answer came back (the
  connection was reset or closed mid-request): the write may or may not be stored; a
  commit whose answer was lost is legitimate.
- ``not sent``: the connection could not even be made (the service was down): nothing
  reached the service, nothing may be stored.
- ``refused``: any other answer (4xx, 503): this attempt stored nothing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

ACKNOWLEDGED = "acknowledged"
IN_FLIGHT = "in flight"
NOT_SENT = "not sent"
REFUSED = "refused"
# httpx errors raised before any byte of the request could reach the service.
NEVER_SENT_ERRORS = frozenset({"ConnectError", "ConnectTimeout", "PoolTimeout"})


@dataclass(frozen=True)
class Attempt:
    """One request of the storm: which write, and what came back."""

    key: str
    status: int | None
    error: str | None = None
    body: dict[str, object] | None = None
    replayed: bool = False
    seconds: float = 0.0  # from sending to the answer (or the error)
    retry_after: str | None = None

    @property
    def outcome(self) -> str:
        """``acknowledged``, ``in flight``, ``not sent`` or ``refused`` (see the module doc)."""
        if self.status is None:
            return NOT_SENT if self.error in NEVER_SENT_ERRORS else IN_FLIGHT
        return ACKNOWLEDGED if 200 <= self.status < 300 else REFUSED


def attempt_of(key: str, send: Callable[[], httpx.Response]) -> Attempt:
    """Send one request and record what came back, or what went wrong on the way."""
    started = time.monotonic()
    try:
        response = send()
    except httpx.TransportError as exc:
        seconds = time.monotonic() - started
        return Attempt(key=key, status=None, error=type(exc).__name__, seconds=seconds)
    seconds = time.monotonic() - started
    try:
        body = response.json()
    except ValueError:
        body = None
    return Attempt(
        key=key,
        status=response.status_code,
        body=body,
        replayed=response.headers.get("idempotent-replayed") == "true",
        seconds=seconds,
        retry_after=response.headers.get("retry-after"),
    )


@dataclass
class Storm:
    """Threads that keep sending writes until stopped: the storm lasts as long as the crashes
    it is to meet, however many writes a second the services take.

    ``next_write(client, number)`` picks the next write (its key) and sends it, returning
    the attempt; numbers are unique across threads.
    """

    next_write: Callable[[httpx.Client, int], Attempt]
    threads: int
    attempts: list[Attempt] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stop: threading.Event = field(default_factory=threading.Event)
    _workers: list[threading.Thread] = field(default_factory=list)
    _numbers: int = 0

    def _number(self) -> int | None:
        with self._lock:
            if self._stop.is_set():
                return None
            self._numbers += 1
            return self._numbers

    def _run(self) -> None:
        # A client per thread, kept across requests as a browser would keep its connection.
        with httpx.Client(timeout=10) as client:
            while (number := self._number()) is not None:
                attempt = self.next_write(client, number)
                with self._lock:
                    self.attempts.append(attempt)
                if attempt.outcome == NOT_SENT:
                    time.sleep(0.1)  # the service is down: do not spin

    def start(self) -> None:
        """Start the threads."""
        for index in range(self.threads):
            worker = threading.Thread(target=self._run, name=f"storm-{index}", daemon=True)
            self._workers.append(worker)
            worker.start()

    def mark(self) -> int:
        """A mark of the attempts so far, for ``outcomes_since``."""
        with self._lock:
            return len(self.attempts)

    def outcomes_since(self, mark: int) -> set[str]:
        """The outcomes of the attempts recorded after ``mark``."""
        with self._lock:
            return {attempt.outcome for attempt in self.attempts[mark:]}

    def stop(self) -> list[Attempt]:
        """Stop the threads, wait for their last requests, and return every attempt."""
        self._stop.set()
        for worker in self._workers:
            worker.join(timeout=30)
        assert not any(worker.is_alive() for worker in self._workers), "a storm thread hangs"
        return list(self.attempts)


def outcomes_by_key(attempts: list[Attempt]) -> dict[str, set[str]]:
    """Every key sent, with the outcomes of its attempts."""
    seen: dict[str, set[str]] = {}
    for attempt in attempts:
        seen.setdefault(attempt.key, set()).add(attempt.outcome)
    return seen


def figures(attempts: list[Attempt], found: set[str]) -> dict[str, int]:
    """What a crash test reports: requests made and refused at connect (the service was down);
    writes sent (reached the service at least once), acknowledged, unanswered (in flight when
    the service died, never acknowledged) and of those stored; writes found stored."""
    by_key = outcomes_by_key(attempts)
    sent = {key for key, outcomes in by_key.items() if outcomes - {NOT_SENT}}
    acknowledged = {key for key, outcomes in by_key.items() if ACKNOWLEDGED in outcomes}
    unanswered = {key for key, outcomes in by_key.items() if IN_FLIGHT in outcomes} - acknowledged
    return {
        "requests": len(attempts),
        "not_connected": sum(1 for attempt in attempts if attempt.outcome == NOT_SENT),
        "writes_sent": len(sent),
        "acknowledged": len(acknowledged),
        "unanswered": len(unanswered),
        "unanswered_stored": len(unanswered & found),
        "found": len(found),
    }
