"""Storage faults on PostgreSQL while the lab serves, on a server of the test's own
(``postgres_server``): the server restarted under load (stopped, down for 2 s, started),
every connection of the services killed from the server's side under load
(``pg_terminate_backend``), and a service's tables held by another session for 5 s.

Writer and reader threads keep the lab busy throughout. Reads keep answering (the
catalogue from its last rendering while the database cannot answer), writes and bakes are
acknowledged or refused with 503 and ``Retry-After`` within the deadline, ``/readyz``
says the database check failed while the server is down, every acknowledged write is
stored whole, and the same processes take writes again by themselves.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from cupcake_testing.storage_faults import postgres_tables_locked
from tests.crash.storm import ACKNOWLEDGED, REFUSED, Attempt, Storm
from tests.e2e.conftest import SERVICES, RunningLab, lab_running, wait_until

from .conftest import (
    FIGURES,
    LAB_ENV,
    READS,
    RECOVERY_WITHIN,
    Traffic,
    failed_checks,
    locked_for_a_while,
    readiness,
    reads_answered,
    refusal_of_write,
    required,
    same_processes,
    service_writes,
    traffic_figures,
    writes_kept,
)
from .postgres_server import PrivateServer, postgres_binaries, private_postgres, server_user

DOWN_SECONDS = 2.0
WRITERS, READERS = 3, 2
TERMINATIONS = 3
REFUSED_BREATH = 0.05
# Between two terminations: the load goes on meanwhile, through new connections.
BETWEEN_TERMINATIONS = 0.5
WRITES = [(service, kind) for service in SERVICES for kind in service_writes(service)]
READ_PATHS = [(service, path) for service, paths in READS.items() for path in paths]


@pytest.fixture(scope="module")
def server() -> Iterator[PrivateServer]:
    """A PostgreSQL server of this module's own, with an empty database per service."""
    binaries, user = postgres_binaries(), server_user()
    required("PostgreSQL's server (initdb and pg_ctl: apt-get install postgresql)", not binaries)
    required("a user 'postgres' to run it as (PostgreSQL refuses root)", user is None)
    assert binaries is not None and user is not None
    with private_postgres(binaries, user) as running:
        running.databases_create(*SERVICES)
        yield running


@pytest.fixture(scope="module")
def lab(server: PrivateServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLab]:
    """A lab whose three services keep their data on ``server``."""
    urls = {f"{service.upper()}_DATABASE_URL": server.url(service) for service in SERVICES}
    folder = tmp_path_factory.mktemp("storage-pg-lab")
    with lab_running(folder, extra_env={**LAB_ENV, **urls}) as running:
        yield running


@contextmanager
def loaded(traffic: Traffic) -> Iterator[None]:
    """The lab under load (``load``) while the block runs."""
    storms = load(traffic)
    for storm in storms:
        storm.start()
    try:
        yield
    finally:
        for storm in storms:
            storm.stop()


def load(traffic: Traffic) -> list[Storm]:
    """Writer threads sending every kind of write in turn (a breath after a refusal, as a
    client waits a little before it tries again), reader threads every read."""

    def write(client: httpx.Client, number: int) -> Attempt:
        attempt = traffic.write(client, *WRITES[number % len(WRITES)]).attempt
        if attempt.outcome == REFUSED:
            time.sleep(REFUSED_BREATH)
        return attempt

    writer = Storm(write, threads=WRITERS)
    reader = Storm(
        lambda client, number: traffic.read(client, *READ_PATHS[number % len(READ_PATHS)]),
        threads=READERS,
    )
    return [writer, reader]


def writes_flow(traffic: Traffic) -> float:
    """Wait until every kind of write is acknowledged again from now; the seconds it took."""
    mark = len(traffic.writes)

    def all_acknowledged() -> bool:
        taken = {
            (write.service, write.kind)
            for write in traffic.writes[mark:]
            if write.attempt.outcome == ACKNOWLEDGED
        }
        return taken == set(WRITES)

    return wait_until(all_acknowledged, timeout=RECOVERY_WITHIN, interval=0.05)


def answered_in_time(traffic: Traffic, start: tuple[int, int], end: tuple[int, int]) -> None:
    """Assert every read between the marks was answered 200, and every write acknowledged
    or refused with 503 and ``Retry-After`` within the deadline."""
    for read in traffic.reads[start[1] : end[1]]:
        assert read.status == 200, read
    for write in traffic.writes[start[0] : end[0]]:
        if write.attempt.outcome == REFUSED:
            refusal_of_write(write)
        else:
            assert write.attempt.outcome == ACKNOWLEDGED, write


def test_the_server_restarted_under_load(server: PrivateServer, lab: RunningLab) -> None:
    traffic, before = Traffic(lab), lab.processes()
    with httpx.Client(timeout=10) as client:
        reads_answered(traffic, client)
        with loaded(traffic):
            writes_flow(traffic)
            start = traffic.mark()
            server.ctl("-m", "fast", "stop")
            stopped = time.monotonic()
            down = readiness(lab, client)
            time.sleep(max(0.0, DOWN_SECONDS - (time.monotonic() - stopped)))
            server.start()
            down_for = time.monotonic() - stopped
            recovered = writes_flow(traffic)
        end = traffic.mark()

    answered_in_time(traffic, start, end)
    refused = [write for write in traffic.writes[start[0] : end[0]] if write.attempt.status == 503]
    assert refused, "no write met the server down"
    for service, (status, document) in down.items():
        assert status == 503 and "database" in failed_checks(document), (service, document)
    same_processes(lab, before)
    lost = writes_kept(traffic, refused_may_be_stored=True)
    assert lost == 0
    FIGURES["PostgreSQL: server restarted under load"] = {
        "down_s": round(down_for, 1),
        **traffic_figures(traffic, start, end),
        "readyz": "503 fail, database failed",
        "lost": lost,
        "recovered_s": round(recovered, 2),
    }


def test_connections_killed_by_the_server_under_load(
    server: PrivateServer, lab: RunningLab
) -> None:
    traffic, before = Traffic(lab), lab.processes()
    terminated, readies = [], []
    with httpx.Client(timeout=10) as client:
        reads_answered(traffic, client)
        with loaded(traffic):
            writes_flow(traffic)
            start = traffic.mark()
            for _ in range(TERMINATIONS):
                terminated.append(server.backends_terminate(*SERVICES))
                time.sleep(BETWEEN_TERMINATIONS)
                readies.append(readiness(lab, client))
            recovered = writes_flow(traffic)
        end = traffic.mark()

    assert all(count > 0 for count in terminated), terminated
    answered_in_time(traffic, start, end)
    for ready in readies:  # nothing stays broken: the pools replaced what was cut
        assert all(status == 200 for status, _ in ready.values()), ready
    same_processes(lab, before)
    lost = writes_kept(traffic, refused_may_be_stored=True)
    assert lost == 0
    FIGURES["PostgreSQL: connections killed (pg_terminate_backend)"] = {
        "terminations": TERMINATIONS,
        "connections_killed": sum(terminated),
        **traffic_figures(traffic, start, end),
        "readyz": "200 ok after each",
        "lost": lost,
        "recovered_s": round(recovered, 2),
    }


@pytest.mark.parametrize("service", SERVICES)
def test_a_database_locked_by_another_session_for_5_s(
    server: PrivateServer, lab: RunningLab, service: str
) -> None:
    lock = postgres_tables_locked(server.url(service))
    figures = locked_for_a_while(lab, service, lock)
    FIGURES[f"PostgreSQL: {service} locked by another session"] = figures
