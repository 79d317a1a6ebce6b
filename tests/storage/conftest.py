"""The storage-fault tests' labs, the writes and reads they send, and the figures they report.

Every write carries a key of its own (a bake's ``Idempotency-Key`` and name, a catalogue
item's slug), so that afterwards each one can be looked for: what was acknowledged must be
stored, whole (as the 201 said it), and once; what was refused must not be.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.crash.storm import ACKNOWLEDGED, REFUSED, Attempt, attempt_of
from tests.e2e.conftest import RunningLab, lab_running, wait_until
from tests.failure.conftest import FRONT_DOOR_DEADLINE, WITHIN_DEADLINE
from tests.figures import figures_report

FIGURES_FILE = Path("test-results/storage-figures.json")
# Each fault's figures, in the order they were measured, for the terminal summary.
FIGURES: dict[str, dict[str, Any]] = {}
# Baking stays limited (its allowance is the first thing a bake writes) but far above what
# the tests send from one address.
LAB_ENV = {"BAKE_RATE_LIMIT": "6000/minute"}
# What a catalogue write carries, as the front door passes its deadline on.
DEADLINE_HEADER = {"Request-Deadline-Ms": str(int(FRONT_DOOR_DEADLINE * 1000))}
# How long another process or session holds a database's write locks.
LOCK_SECONDS = 5.0
# The bound of a wait for writes to be taken again once a fault has ended.
RECOVERY_WITHIN = 30.0
PLURALS = {"bodies": "bodies", "frostings": "frostings", "toppings": "toppings"}
READS = {
    "bodies": ["/api/v1/bodies", "/api/v1/bodies/vanilla",
               "/api/v1/cupcake?body=vanilla&frosting=strawberry&topping=cherry"],
    "frostings": ["/api/v1/frostings", "/api/v1/frostings/vanilla"],
    "toppings": ["/api/v1/toppings", "/api/v1/toppings/cherry"],
}  # fmt: skip


def required(what: str, missing: bool) -> None:
    """Nothing when ``what`` is there; else a skip, or a failure in CI."""
    if not missing:
        return
    message = f"the storage-fault tests need {what}"
    if os.environ.get("CUPCAKE_REQUIRE_ALL_SUITES") == "1":
        pytest.fail(f"{message}; CUPCAKE_REQUIRE_ALL_SUITES=1 requires every suite to run")
    pytest.skip(message)


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLab]:
    """A lab on SQLite shared by one module's tests, stopped cleanly afterwards."""
    with lab_running(tmp_path_factory.mktemp("storage-lab"), extra_env=LAB_ENV) as running:
        yield running


@dataclass(frozen=True)
class Write:
    """One write sent: to which service, what (``bake`` or ``create``), and its answer."""

    service: str
    kind: str
    attempt: Attempt


@dataclass
class Traffic:
    """The writes and reads sent to a lab, each write with a key of its own."""

    lab: RunningLab
    writes: list[Write] = field(default_factory=list)
    reads: list[Attempt] = field(default_factory=list)

    def bake(self, client: httpx.Client) -> Write:
        """Bake a cupcake named after its Idempotency-Key."""
        return self._sent("bodies", "bake", self._bake(client, f"k{uuid.uuid4().hex[:12]}"))

    def _bake(self, client: httpx.Client, key: str) -> Attempt:
        cupcake = {"body": "vanilla", "frosting": "strawberry", "topping": "cherry", "name": key}
        return attempt_of(
            key,
            lambda: client.post(
                f"{self.lab.urls['bodies']}/api/v1/cupcakes",
                json=cupcake,
                headers={"Idempotency-Key": key},
            ),
        )

    def create(self, client: httpx.Client, service: str) -> Write:
        """Create a catalogue item of ``service`` (admin token), its slug the write's key."""
        slug = f"s{uuid.uuid4().hex[:12]}"
        item: dict[str, Any] = {"slug": slug, "name": slug.upper(), "color": "#336699"}
        if service == "frostings":
            item.update(bodies=["vanilla"], toppings=["cherry"])
        headers = {"Authorization": f"Bearer {self.lab.token}", **DEADLINE_HEADER}
        url = f"{self.lab.urls[service]}/api/v1/{PLURALS[service]}"
        attempt = attempt_of(slug, lambda: client.post(url, json=item, headers=headers))
        return self._sent(service, "create", attempt)

    def write(self, client: httpx.Client, service: str, kind: str) -> Write:
        """A ``bake`` or a ``create`` on ``service``."""
        return self.bake(client) if kind == "bake" else self.create(client, service)

    def read(self, client: httpx.Client, service: str, path: str) -> Attempt:
        """A read of ``path`` on ``service``."""
        attempt = attempt_of(path, lambda: client.get(f"{self.lab.urls[service]}{path}"))
        self.reads.append(attempt)
        return attempt

    def mark(self) -> tuple[int, int]:
        """A mark of the writes and reads so far, to tell a fault's own from the others."""
        return len(self.writes), len(self.reads)

    def _sent(self, service: str, kind: str, attempt: Attempt) -> Write:
        write = Write(service, kind, attempt)
        self.writes.append(write)
        return write


def service_writes(service: str) -> list[str]:
    """The kinds of write a service takes: bodies bakes and creates, the others create."""
    return ["bake", "create"] if service == "bodies" else ["create"]


def readiness(lab: RunningLab, client: httpx.Client) -> dict[str, tuple[int, dict[str, Any]]]:
    """Each service's /readyz: its status and document."""
    answers = {name: client.get(f"{url}/readyz") for name, url in lab.urls.items()}
    return {name: (answer.status_code, answer.json()) for name, answer in answers.items()}


def failed_checks(document: dict[str, Any]) -> list[str]:
    """The names of a readiness document's failed checks."""
    return sorted(name for name, check in document["checks"].items() if check["status"] != "ok")


def refusal_of_write(write: Write, *, within: float = WITHIN_DEADLINE) -> None:
    """Assert a write was answered 503 with ``Retry-After`` within ``within`` seconds."""
    attempt = write.attempt
    assert attempt.status == 503, attempt
    assert attempt.retry_after is not None and attempt.retry_after.isdigit(), attempt
    assert attempt.seconds < within, f"{write.service} {write.kind}: {attempt.seconds:.2f} s"


def recovered_within(traffic: Traffic, service: str) -> float:
    """Seconds until every kind of write ``service`` takes is acknowledged again."""
    with httpx.Client(timeout=10) as client:

        def taken(kind: str) -> bool:
            return traffic.write(client, service, kind).attempt.outcome == ACKNOWLEDGED

        started = time.monotonic()
        for kind in service_writes(service):
            wait_until(partial(taken, kind), timeout=RECOVERY_WITHIN, interval=0.1)
        return time.monotonic() - started


def writes_kept(traffic: Traffic, *, refused_may_be_stored: bool) -> int:
    """Check every write against what the lab stores now: each acknowledged one stored, whole
    (as its 201 said) and once; each refused one not stored (unless ``refused_may_be_stored``:
    a connection cut mid-commit may have committed a write it could not acknowledge, which a
    retry then finds). Return how many acknowledged writes were not found: none."""
    lost = 0
    with httpx.Client(timeout=10) as client:
        for write in traffic.writes:
            outcome = write.attempt.outcome
            assert outcome in (ACKNOWLEDGED, REFUSED), write  # no answer lost in flight
            if write.kind == "bake":
                lost += _bake_kept(traffic, client, write, refused_may_be_stored)
            else:
                lost += _item_kept(traffic, client, write, refused_may_be_stored)
    return lost


def _bake_kept(
    traffic: Traffic, client: httpx.Client, write: Write, refused_may_be_stored: bool
) -> int:
    attempt = write.attempt
    retried = traffic._bake(client, attempt.key)  # the same key again, as a client retries
    assert retried.status == 201, retried
    if attempt.outcome == ACKNOWLEDGED:
        # Its idempotency record was written with it: the retry replays the same cupcake.
        assert retried.replayed and retried.body == attempt.body, (attempt, retried)
        assert attempt.body is not None
        stored = client.get(f"{traffic.lab.urls['bodies']}/api/v1/cupcakes/{attempt.body['id']}")
        return 0 if stored.status_code == 200 and stored.json() == attempt.body else 1
    assert refused_may_be_stored or not retried.replayed, "a refused bake was stored"
    return 0


def _item_kept(
    traffic: Traffic, client: httpx.Client, write: Write, refused_may_be_stored: bool
) -> int:
    url = f"{traffic.lab.urls[write.service]}/api/v1/{PLURALS[write.service]}/{write.attempt.key}"
    stored = client.get(url)
    if write.attempt.outcome == ACKNOWLEDGED:
        return 0 if stored.status_code == 200 and stored.json() == write.attempt.body else 1
    if stored.status_code == 200:
        assert refused_may_be_stored, f"a refused write was stored: {write}"
        assert stored.json()["name"] == write.attempt.key.upper()  # whole, as sent
    else:
        assert stored.status_code == 404, stored.text
    return 0


def traffic_figures(
    traffic: Traffic, start: tuple[int, int], end: tuple[int, int]
) -> dict[str, Any]:
    """What the figures say of the traffic between two marks (a fault's): reads and writes,
    their answers and the slowest of each."""
    writes = [write.attempt for write in traffic.writes[start[0] : end[0]]]
    reads = traffic.reads[start[1] : end[1]]
    return {
        "reads": len(reads),
        "reads_200": sum(1 for read in reads if read.status == 200),
        "slowest_read_s": round(max((read.seconds for read in reads), default=0.0), 3),
        "writes": len(writes),
        "writes_201": sum(1 for write in writes if write.outcome == ACKNOWLEDGED),
        "writes_503": sum(1 for write in writes if write.status == 503),
        "reasons": " ".join(
            sorted({refusal_reason(write) for write in writes if write.status == 503})
        ),
        "slowest_write_s": round(max((write.seconds for write in writes), default=0.0), 3),
    }


def refusal_reason(attempt: Attempt) -> str:
    """Why a write was refused: its problem's ``reason``, else its kind."""
    body = attempt.body or {}
    return str(body.get("reason") or str(body.get("type", "?")).rsplit(":", 1)[-1])


def same_processes(lab: RunningLab, before: dict[str, tuple[object, object]]) -> None:
    """Assert every service still runs in the process it ran in before the fault."""
    after = lab.processes()
    assert after == before, f"processes changed: {before} before, {after} after"
    assert all(state == "running" for _, state in after.values()), after


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Show each fault's figures and keep them in test-results/."""
    figures_report(terminalreporter, FIGURES, path=FIGURES_FILE, title="storage fault figures")


def reads_answered(traffic: Traffic, client: httpx.Client) -> None:
    """Read every read of every service once, and assert each was answered 200."""
    for service, paths in READS.items():
        for path in paths:
            read = traffic.read(client, service, path)
            assert read.status == 200, (service, path, read)


def refused_for(
    traffic: Traffic, reason: str, start: tuple[int, int], end: tuple[int, int]
) -> None:
    """Assert every write between the marks (while the fault lasted) was refused (503,
    ``Retry-After``) for ``reason`` within the deadline."""
    for write in traffic.writes[start[0] : end[0]]:
        refusal_of_write(write)
        assert write.attempt.body is not None and write.attempt.body["reason"] == reason, write


def fault_rounds(
    lab: RunningLab, traffic: Traffic, client: httpx.Client, *, services: tuple[str, ...]
) -> list[dict[str, tuple[int, dict[str, Any]]]]:
    """A round of every write of ``services``, every read and each /readyz; its readiness."""
    for service in services:
        for kind in service_writes(service):
            traffic.write(client, service, kind)
    reads_answered(traffic, client)
    return [readiness(lab, client)]


def degraded_by(
    readies: list[dict[str, tuple[int, dict[str, Any]]]], check: str, services: tuple[str, ...]
) -> str:
    """Assert each probe found ``services`` degraded (200) with ``check`` failed, the others
    ready; say it in words for the figures."""
    for ready in readies:
        for service, (status, document) in ready.items():
            if service in services:
                assert status == 200 and document["status"] == "degraded", (service, document)
                assert failed_checks(document) == [check], (service, document)
            else:
                assert status == 200 and document["status"] == "ok", (service, document)
    return f"200 degraded, {check} failed"


def recovery(traffic: Traffic, services: tuple[str, ...]) -> float:
    """Seconds until every service in ``services`` takes each of its writes again."""
    return round(sum(recovered_within(traffic, service) for service in services), 2)


def locked_for_a_while(
    lab: RunningLab, service: str, lock: AbstractContextManager[object]
) -> dict[str, Any]:
    """Hold ``service``'s database ``lock`` for ``LOCK_SECONDS`` while rounds of writes,
    reads and readiness probes go on; assert each write was refused for ``locked`` within
    the deadline, ``/readyz`` said ``writable`` failed, the same processes took writes again
    afterwards and nothing acknowledged was lost or refused stored. The fault's figures."""
    traffic, before = Traffic(lab), lab.processes()
    readies = []
    with httpx.Client(timeout=10) as client:
        reads_answered(traffic, client)  # what the reads keep, and connections opened
        start = traffic.mark()
        with lock:
            held = time.monotonic()
            while time.monotonic() - held < LOCK_SECONDS:
                readies += fault_rounds(lab, traffic, client, services=(service,))
            held_for = time.monotonic() - held
        end = traffic.mark()

    refused_for(traffic, "locked", start, end)
    readyz = degraded_by(readies, "writable", (service,))
    recovered = recovery(traffic, (service,))
    same_processes(lab, before)
    lost = writes_kept(traffic, refused_may_be_stored=False)
    assert lost == 0
    return {
        "held_s": round(held_for, 1),
        **traffic_figures(traffic, start, end),
        "readyz": readyz,
        "lost": lost,
        "recovered_s": recovered,
    }
