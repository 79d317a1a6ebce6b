"""A PostgreSQL server of the test's own, to restart and to cut connections of at will.

Never the machine's shared server: ``initdb`` makes a cluster in a folder of its own, and
``pg_ctl`` runs it on a free loopback port with its socket in that folder, as the user
``postgres`` when the test runs as root (PostgreSQL refuses to run as root), else as the
test's own user. Stopped (``immediate``) and removed afterwards, whatever happened.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

from cupcake_lab.ports import free_port

SERVER_USER = "postgres"
PG_BINARIES = "/usr/lib/postgresql/*/bin"


def postgres_binaries() -> Path | None:
    """The folder of ``initdb`` and ``pg_ctl``: the newest Debian-packaged server's, or on
    the PATH; None without one."""
    found = sorted(glob.glob(f"{PG_BINARIES}/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def server_user() -> str | None:
    """Whom the server runs as: ``postgres`` for root (None if there is no such user), else
    the test's own user."""
    if os.geteuid() != 0:
        return pwd.getpwuid(os.geteuid()).pw_name
    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError:
        return None
    return SERVER_USER


@dataclass(frozen=True)
class PrivateServer:
    """A running server of the test's own."""

    binaries: Path
    folder: Path
    port: int
    user: str

    @property
    def data(self) -> Path:
        """The cluster's data folder."""
        return self.folder / "data"

    def url(self, database: str = "postgres") -> str:
        """The URL of ``database`` on this server (trust authentication, on loopback)."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def ctl(self, *args: str, timeout: float = 60) -> None:
        """Run ``pg_ctl ARGS`` on this cluster, as its user."""
        as_user = self._as_user()
        subprocess.run(
            [*as_user, str(self.binaries / "pg_ctl"), "-D", str(self.data), "-w", *args],
            check=True, capture_output=True, timeout=timeout,
        )  # fmt: skip

    def start(self) -> None:
        """Start the server (and wait until it takes connections)."""
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        self.ctl("-l", str(self.folder / "server.log"), "-o", options, "start")

    def restart(self) -> None:
        """Restart it as an operator would: ``pg_ctl restart -m fast`` (every connection cut,
        the running transactions rolled back, a clean shutdown, then up again)."""
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        self.ctl("-m", "fast", "-o", options, "restart")

    def databases_create(self, *names: str) -> None:
        """Create empty databases."""
        with psycopg.connect(self.url(), autocommit=True) as admin:
            for name in names:
                admin.execute(f"CREATE DATABASE {name}")

    def backends_terminate(self, *databases: str) -> int:
        """``pg_terminate_backend`` every connection to ``databases`` but this one; how many."""
        with psycopg.connect(self.url(), autocommit=True) as admin:
            row = admin.execute(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = ANY(%s) AND pid <> pg_backend_pid()",
                (list(databases),),
            ).fetchone()
        return int(row[0]) if row else 0

    def _as_user(self) -> list[str]:
        return ["runuser", "-u", self.user, "--"] if os.geteuid() == 0 else []


@contextmanager
def private_postgres(binaries: Path, user: str) -> Iterator[PrivateServer]:
    """A new cluster, started on a free port; stopped and removed afterwards."""
    # Under /tmp, not pytest's folder: the server's user must be able to reach it.
    folder = Path(tempfile.mkdtemp(prefix="cupcake-storage-pg-"))
    try:
        if os.geteuid() == 0:
            shutil.chown(folder, user=user)
        server = PrivateServer(binaries=binaries, folder=folder, port=free_port(), user=user)
        subprocess.run(
            [*server._as_user(), str(binaries / "initdb"), "-D", str(server.data),
             "-A", "trust", "-U", "postgres", "--no-sync"],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        server.start()
        try:
            yield server
        finally:
            server.ctl("-m", "immediate", "stop")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
