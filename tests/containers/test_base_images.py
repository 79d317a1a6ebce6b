"""The base images made from Debian's packages behave as the official ones the lab names.

The tests that run containers need root, podman and debootstrap; without them they are skipped
with a clear message, unless ``CUPCAKE_REQUIRE_ALL_SUITES=1`` (set by CI) makes that a failure.
The first run on a machine makes the images (about a minute each); later runs reuse them.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from cupcake_lab.ports import free_port

from .base_images import (
    DEFAULT_MIRROR,
    RESOURCE_LIMITS,
    Podman,
    apt_mirror,
)

READY_WITHIN_S = 60
PASSWORD = 'it\'s a "secret" with spaces'
# A wheel built by hand inside the container: pip installs it with no index and no network.
WHEEL_INSTALL = """
import pathlib, subprocess, sys, zipfile
wheel = pathlib.Path("/tmp/cupcake_probe-1.0-py3-none-any.whl")
info = "cupcake_probe-1.0.dist-info/"
with zipfile.ZipFile(wheel, "w") as archive:
    archive.writestr("cupcake_probe.py", "FLAVOUR = 'vanilla'\\n")
    archive.writestr(info + "METADATA", "Metadata-Version: 2.1\\nName: cupcake-probe\\n"
                     "Version: 1.0\\n")
    archive.writestr(info + "WHEEL", "Wheel-Version: 1.0\\nGenerator: hand\\n"
                     "Root-Is-Purelib: true\\nTag: py3-none-any\\n")
    archive.writestr(info + "RECORD", "")
pip = [sys.executable, "-m", "pip", "install", "--no-index", "--quiet", str(wheel)]
subprocess.run(pip, check=True)
"""


# --- Where the images come from ---------------------------------------------------------------


def test_the_mirror_is_read_from_deb822_sources(tmp_path: Path) -> None:
    (tmp_path / "debian.sources").write_text(
        "Types: deb\n"
        "URIs: http://mirror.example/debian-security\n"
        "Suites: bookworm-security\n"
        "\n"
        "Types: deb-src\n"
        "URIs: http://sources.example/debian\n"
        "Suites: bookworm\n"
        "\n"
        "Types: deb\n"
        "# a comment: with a colon\n"
        "URIs: http://mirror.example/debian http://second.example/debian\n"
        "Suites: bookworm bookworm-updates\n"
        "Components: main\n"
    )
    mirror = apt_mirror(tmp_path / "sources.list", tmp_path)
    assert mirror == "http://mirror.example/debian"


def test_a_disabled_deb822_source_is_passed_over(tmp_path: Path) -> None:
    (tmp_path / "a.sources").write_text(
        "Enabled: no\nTypes: deb\nURIs: http://off.example/debian\nSuites: bookworm\n"
    )
    (tmp_path / "b.sources").write_text(
        "Types: deb\nURIs: http://on.example/debian\nSuites: bookworm\n"
    )
    assert apt_mirror(tmp_path / "sources.list", tmp_path) == "http://on.example/debian"


def test_the_mirror_is_read_from_one_line_sources(tmp_path: Path) -> None:
    sources_list = tmp_path / "sources.list"
    sources_list.write_text(
        "# deb http://commented.example/debian bookworm main\n"
        "deb http://security.example/debian-security bookworm-security main\n"
        "deb [arch=amd64 signed-by=/usr/share/keyrings/k.gpg] http://mirror.example/debian "
        "bookworm main\n"
    )
    assert apt_mirror(sources_list, tmp_path) == "http://mirror.example/debian"


def test_without_a_bookworm_source_the_mirror_is_debians_own(tmp_path: Path) -> None:
    (tmp_path / "sources.list").write_text("deb http://archive.ubuntu.com/ubuntu jammy main\n")
    assert apt_mirror(tmp_path / "sources.list", tmp_path) == DEFAULT_MIRROR


# --- The images, run ----------------------------------------------------------------------------


def run_once(podman: Podman, *args: str) -> str:
    """The output of a container run with ``args`` and removed afterwards."""
    return podman.run("run", "--rm", *RESOURCE_LIMITS, *args).stdout


def test_the_python_base_runs_ssl_and_venv_as_a_non_root_user(
    podman: Podman, python_image: str
) -> None:
    script = (
        "import os, ssl, venv; "
        "venv.create('/tmp/venv', with_pip=True); "
        "print(os.getuid(), ssl.create_default_context().cert_store_stats()['x509_ca'] > 0)"
    )
    output = run_once(podman, "--user", "10001:10001", python_image, "python", "-c", script)
    assert output.split() == ["10001", "True"]
    pip = run_once(
        podman,
        "--user",
        "10001:10001",
        python_image,
        "/bin/sh",
        "-c",
        "python -m venv /tmp/v && /tmp/v/bin/pip --version && pip --version",
    )
    assert [line.split()[0] for line in pip.splitlines()] == ["pip", "pip"], pip


def test_the_python_base_lets_pip_install_into_the_system(
    podman: Podman, python_image: str
) -> None:
    script = (
        WHEEL_INSTALL + "import cupcake_probe; print(cupcake_probe.__file__, cupcake_probe.FLAVOUR)"
    )
    output = run_once(podman, python_image, "python", "-c", script)
    location, flavour = output.split()
    assert flavour == "vanilla"
    assert location.startswith("/usr/"), location


@dataclass(frozen=True)
class Database:
    """A PostgreSQL container of the image, its data in a named volume, published on 127.0.0.1."""

    podman: Podman
    container: str
    volume: str
    port: int

    def connect(self, password: str = PASSWORD) -> psycopg.Connection[tuple[object, ...]]:
        """A connection from the host as the POSTGRES_USER, with its password."""
        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user="bakery",
            dbname="cupcakes",
            password=password,
            connect_timeout=5,
        )

    def wait_ready(self) -> None:
        """Until pg_isready says the server accepts connections (bounded by READY_WITHIN_S)."""
        deadline = time.monotonic() + READY_WITHIN_S
        while True:
            check = self.podman.run(
                "exec",
                self.container,
                "pg_isready",
                "--username=bakery",
                "--dbname=cupcakes",
                check=False,
            )
            if check.returncode == 0:
                return
            if time.monotonic() > deadline:
                logs = self.podman.run("logs", self.container, check=False)
                raise AssertionError(
                    f"not ready in {READY_WITHIN_S} s:\n{logs.stdout}{logs.stderr}"
                )
            time.sleep(0.2)


@pytest.fixture
def database(podman: Podman, postgres_image: str) -> Iterator[Database]:
    """A started database container, removed afterwards with its volume."""
    name = f"cupcake-base-test-{uuid.uuid4().hex[:8]}"
    running = Database(podman, name, f"{name}-data", free_port())
    podman.run("volume", "create", running.volume)
    try:
        start_database(running, postgres_image)
        yield running
    finally:
        podman.run("rm", "--force", "--time", "0", running.container, check=False)
        podman.run("volume", "rm", "--force", running.volume, check=False)


def start_database(database: Database, image: str, *options: str) -> None:
    """Run ``image`` as ``database``'s container on its volume and port, and wait until ready."""
    database.podman.run(
        "run",
        "--detach",
        *RESOURCE_LIMITS,
        "--name",
        database.container,
        "--env",
        "POSTGRES_DB=cupcakes",
        "--env",
        "POSTGRES_USER=bakery",
        "--env",
        f"POSTGRES_PASSWORD={PASSWORD}",
        "--volume",
        f"{database.volume}:/var/lib/postgresql/data",
        "--publish",
        f"127.0.0.1:{database.port}:5432",
        *options,
        image,
    )
    database.wait_ready()


def test_postgres_accepts_the_password_from_the_host_and_no_other(database: Database) -> None:
    with database.connect() as connection:
        row = connection.execute("SELECT current_user, current_database(), version()").fetchone()
    assert row is not None
    assert row[:2] == ("bakery", "cupcakes")
    assert str(row[2]).startswith("PostgreSQL 15.")
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        database.connect(password="not the password").close()


def test_postgres_runs_as_postgres_and_stops_fast_on_its_stop_signal(database: Database) -> None:
    top = database.podman.run("top", database.container, "user", "pid").stdout.split()
    assert top[2:4] == ["postgres", "1"], top
    idle = database.connect()  # a smart shutdown (SIGTERM) would wait for this client to leave
    started = time.monotonic()
    database.podman.run("stop", "--time", "20", database.container)
    stopped_in = time.monotonic() - started
    idle.close()
    exit_code = database.podman.run(
        "inspect", "--format", "{{.State.ExitCode}}", database.container
    ).stdout.strip()
    assert (exit_code, stopped_in < 10) == ("0", True), (exit_code, stopped_in)


def test_postgres_keeps_its_data_across_a_restart_and_a_new_container(
    database: Database, postgres_image: str
) -> None:
    with database.connect() as connection:
        connection.execute("CREATE TABLE cupcakes (flavour text)")
        connection.execute("INSERT INTO cupcakes VALUES ('vanilla')")
    database.podman.run("stop", database.container)
    database.podman.run("start", database.container)
    database.wait_ready()
    with database.connect() as connection:
        connection.execute("INSERT INTO cupcakes VALUES ('lemon')")
    database.podman.run("rm", "--force", database.container)
    start_database(database, postgres_image)
    with database.connect() as connection:
        flavours = connection.execute("SELECT flavour FROM cupcakes ORDER BY 1").fetchall()
    assert flavours == [("lemon",), ("vanilla",)]


def test_postgres_runs_as_uid_999_on_a_read_only_root_as_the_manifests_ask(
    podman: Podman, postgres_image: str
) -> None:
    name = f"cupcake-base-test-{uuid.uuid4().hex[:8]}"
    database = Database(podman, name, f"{name}-data", free_port())
    podman.run("volume", "create", database.volume)
    try:
        start_database(
            database,
            postgres_image,
            "--user",
            "999:999",
            "--read-only",
            # As fsGroup does for the manifests' emptyDir (podman 4.3 ignores a tmpfs mode=).
            "--tmpfs",
            "/var/run/postgresql:U",
            "--tmpfs",
            "/tmp",
            "--env",
            "PGDATA=/var/lib/postgresql/data/pgdata",
        )
        with database.connect() as connection:
            row = connection.execute("SHOW data_directory").fetchone()
        assert row == ("/var/lib/postgresql/data/pgdata",)
    finally:
        podman.run("rm", "--force", "--time", "0", database.container, check=False)
        podman.run("volume", "rm", "--force", database.volume, check=False)
