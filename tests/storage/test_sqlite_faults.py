"""Storage faults on SQLite while the lab serves: a database locked by another process for
5 s, the database files made read-only, the disk under the state folder full.

In every case reads keep answering, writes and bakes answer 503 with ``Retry-After``
within the deadline (as this client measures), ``/readyz`` says which check failed, no
acknowledged write is lost, no refused one is stored, every database stays whole, and
everything recovers by itself when the fault ends, in the same processes.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from contextlib import ExitStack, closing
from functools import partial
from pathlib import Path

import httpx
import pytest

from cupcake_testing.storage_faults import file_read_only, write_lock_held
from tests.e2e.conftest import SERVICES, RunningLab, lab_running, wait_until

from .conftest import (
    FIGURES,
    LAB_ENV,
    Traffic,
    degraded_by,
    fault_rounds,
    locked_for_a_while,
    reads_answered,
    recovery,
    refused_for,
    required,
    same_processes,
    service_writes,
    traffic_figures,
    writes_kept,
)

# The state folder's disk for the full-disk test: room for the databases, logs and metrics.
TMPFS_SIZE = "64m"
# How long the read-only files and the full disk last: rounds of writes, reads and
# readiness probes meanwhile, a breath between two.
FAULT_SECONDS = 2.0
BREATH = 0.1


def database_file(lab: RunningLab, service: str) -> str:
    """The file of ``service``'s database in the lab's state folder."""
    return str(Path(lab.env["CUPCAKE_STATE_DIR"]) / f"{service}.sqlite3")


def whole(lab: RunningLab) -> None:
    """Assert SQLite finds every database whole (``PRAGMA integrity_check``)."""
    for service in SERVICES:
        uri = f"{Path(database_file(lab, service)).as_uri()}?mode=ro"
        with closing(sqlite3.connect(uri, uri=True)) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",), service


@pytest.mark.parametrize("service", SERVICES)
def test_a_database_locked_by_another_process_for_5_s(lab: RunningLab, service: str) -> None:
    lock = write_lock_held(database_file(lab, service))
    figures = locked_for_a_while(lab, service, lock)
    whole(lab)
    FIGURES[f"SQLite: {service} locked by another process"] = figures


def test_the_database_files_made_read_only(lab: RunningLab) -> None:
    traffic, before = Traffic(lab), lab.processes()
    readies = []
    with httpx.Client(timeout=10) as client:
        reads_answered(traffic, client)
        start = traffic.mark()
        with ExitStack() as faults:
            for service in SERVICES:
                faults.enter_context(file_read_only(database_file(lab, service)))
            started = time.monotonic()
            while time.monotonic() - started < FAULT_SECONDS:
                readies += fault_rounds(lab, traffic, client, services=SERVICES)
                time.sleep(BREATH)
            lasted = time.monotonic() - started
        end = traffic.mark()

    refused_for(traffic, "read-only", start, end)
    readyz = degraded_by(readies, "writable", SERVICES)
    recovered = recovery(traffic, SERVICES)
    same_processes(lab, before)
    lost = writes_kept(traffic, refused_may_be_stored=False)
    whole(lab)
    assert lost == 0
    FIGURES["SQLite: database files read-only"] = {
        "lasted_s": round(lasted, 1),
        "how": "chattr +i" if os.geteuid() == 0 else "chmod 0444",
        **traffic_figures(traffic, start, end),
        "readyz": readyz,
        "lost": lost,
        "recovered_s": recovered,
    }


@pytest.fixture
def full_disk_lab(tmp_path: Path) -> Iterator[RunningLab]:
    """A lab whose state folder (databases, logs, metrics) is a small tmpfs of its own,
    unmounted afterwards whatever happened."""
    required("root (to mount a tmpfs)", os.geteuid() != 0)
    state = tmp_path / "state"
    state.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={TMPFS_SIZE}", "tmpfs", str(state)],
                   check=True)  # fmt: skip
    try:
        with lab_running(tmp_path, extra_env=LAB_ENV) as running:
            yield running
    finally:
        if subprocess.run(["umount", str(state)], check=False).returncode != 0:
            subprocess.run(["umount", "--lazy", str(state)], check=True)
            raise AssertionError(f"{state} was still in use when the lab had stopped")


def disk_filled(folder: Path) -> Path:
    """Fill the disk of ``folder`` to its last byte with one file; that file."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for chunk in (1 << 20, 1 << 12):
            try:
                while True:
                    os.write(fd, b"\0" * chunk)
            except OSError as exc:
                assert exc.errno == 28, exc  # ENOSPC
    finally:
        os.close(fd)
    assert shutil.disk_usage(folder).free == 0
    return filler


def logs_go_on(lab: RunningLab) -> None:
    """Assert the launcher said the log files could not be written, and that each service's
    log file takes its lines again: the launcher passed the output on throughout."""
    assert "its log file cannot be written" in lab.output.read_text()
    logs = Path(lab.env["CUPCAKE_STATE_DIR"]) / "logs"
    sizes = {service: (logs / f"{service}.log").stat().st_size for service in SERVICES}
    with httpx.Client(timeout=10) as client:
        for service in SERVICES:
            client.get(f"{lab.urls[service]}/healthz")
    for service in SERVICES:
        wait_until(partial(grown, logs / f"{service}.log", sizes[service]), timeout=10)


def grown(path: Path, size: int) -> bool:
    """Whether the file at ``path`` is longer than ``size`` bytes."""
    return path.stat().st_size > size


def test_the_disk_under_the_state_folder_full(full_disk_lab: RunningLab) -> None:
    lab = full_disk_lab
    traffic, before = Traffic(lab), lab.processes()
    readies = []
    with httpx.Client(timeout=10) as client:
        reads_answered(traffic, client)
        for service in SERVICES:  # writes acknowledged before the fault, kept through it
            for kind in service_writes(service):
                assert traffic.write(client, service, kind).attempt.status == 201
        start = traffic.mark()
        filler = disk_filled(Path(lab.env["CUPCAKE_STATE_DIR"]))
        started = time.monotonic()
        while time.monotonic() - started < FAULT_SECONDS:
            readies += fault_rounds(lab, traffic, client, services=SERVICES)
            time.sleep(BREATH)
        lasted = time.monotonic() - started
        filler.unlink()
        end = traffic.mark()

    refused_for(traffic, "disk-full", start, end)
    readyz = degraded_by(readies, "disk", SERVICES)
    recovered = recovery(traffic, SERVICES)
    same_processes(lab, before)
    logs_go_on(lab)
    lost = writes_kept(traffic, refused_may_be_stored=False)
    whole(lab)
    assert lost == 0
    FIGURES["SQLite: disk under the state folder full"] = {
        "tmpfs": TMPFS_SIZE,
        "lasted_s": round(lasted, 1),
        **traffic_figures(traffic, start, end),
        "readyz": readyz,
        "lost": lost,
        "recovered_s": recovered,
    }
