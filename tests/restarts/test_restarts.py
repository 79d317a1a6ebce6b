"""``cupcake-lab restart`` while the Locust file's people use the lab, with one granian
worker per service and with two: the restarted service's port never closes, so no request
fails, neither a composition through bodies nor a request made to the service itself.

Each restarted service is also read directly, in a loop, all through its restart, by a
client that behaves as a browser does: a request whose kept-alive connection the old
server closed under it, unanswered, is sent once more (``bench/resend.py``), and counted.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from urllib3 import HTTPConnectionPool

from bench.resend import ResendUnanswered
from tests.e2e.conftest import RunningLab, started_pid, wait_until
from tests.e2e.locust_runs import (
    assert_no_failures,
    locust_finish,
    locust_start,
    people_running,
)

from .conftest import FIGURES

PEOPLE = 8
THINK_SCALE = "0.1"
# Long enough for the three restarts, one after the other, each with its new server's start.
LOAD_SECONDS = 45
# The share of Locust's requests the services' admission gates may refuse (503 overloaded,
# Retry-After: an answer, at once): none at this light load, but a stall of this shared
# machine, or the new server loading beside the old, may make them refuse for a moment.
REFUSED_AT_MOST = 0.01
# Each service's own catalogue, read in a loop during its restart.
READS = {name: f"/api/v1/{name}" for name in ("toppings", "frostings", "bodies")}


@dataclass
class DirectReader:
    """Reads ``path`` of the service at ``url`` in a loop in a thread of its own, counting
    the answers, the requests sent again and the failures (with what they were)."""

    url: str
    path: str
    answered: int = 0
    resent: int = 0
    failures: list[str] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> DirectReader:
        host, port = self.url.removeprefix("http://").rsplit(":", 1)
        pool = HTTPConnectionPool(host, int(port), maxsize=1, timeout=10.0)

        def count_resent(*_: object) -> None:
            self.resent += 1

        def read() -> None:
            while not self._stop.is_set():
                retries = ResendUnanswered(on_resend=count_resent)
                try:
                    answer = pool.urlopen("GET", self.path, retries=retries)
                except Exception as exc:  # noqa: BLE001 - any failure is what is counted
                    self.failures.append(repr(exc))
                else:
                    if answer.status == 200:
                        self.answered += 1
                    else:
                        self.failures.append(f"{answer.status}: {answer.data[:200]!r}")
                self._stop.wait(0.005)
            pool.close()

        self._thread = threading.Thread(target=read, name=f"read {self.url}", daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)


def test_each_service_restarts_under_load_without_a_failed_request(
    lab: RunningLab, tmp_path: Path
) -> None:
    workers = lab.env["CUPCAKE_WORKERS"]
    load = locust_start(lab, tmp_path, users=PEOPLE, seconds=LOAD_SECONDS, think_scale=THINK_SCALE)
    wait_until(lambda: people_running(load) == PEOPLE, timeout=30)

    readers: dict[str, DirectReader] = {}
    for name, path in READS.items():
        before = started_pid(lab.statuses()[name])
        with DirectReader(lab.urls[name], path) as reader:
            wait_until(lambda: reader.answered > 0, timeout=10)  # noqa: B023 - used at once
            started = time.monotonic()
            restarted = lab.cli("restart", name)
            took = time.monotonic() - started
            answered_during = reader.answered
        assert restarted.returncode == 0, restarted.stderr
        assert started_pid(lab.statuses()[name]) != before  # a new server
        readers[name] = reader
        FIGURES[f"{workers} worker(s), {name}"] = {
            "restart_seconds": round(took, 1),
            "direct_reads_answered": answered_during,
            "sent_again": reader.resent,
            "failed": len(reader.failures),
        }
    still_loading = load.process.poll() is None
    run = locust_finish(load)

    assert still_loading, "the restarts outlasted the load: make LOAD_SECONDS longer"
    assert_no_failures(run)
    assert not run.rows_named("service down"), run.requests
    for name, reader in readers.items():
        assert reader.failures == [], f"{name}: {reader.failures}"
    FIGURES[f"{workers} worker(s), Locust"] = {
        "people": PEOPLE,
        "requests": run.count("", "Aggregated"),
        "compositions": run.count("GET", "/api/v1/cupcake"),
        "refused": run.refused,
        "failed": run.failures.get(("", "Aggregated"), 0),
        "sent_again": sum(run.rows_named("sent again").values()),
    }
    assert run.refused <= REFUSED_AT_MOST * run.count("", "Aggregated"), run.requests
