"""What each image installs and runs, run for real outside a container.

The builder's `uv sync` makes the service's environment from the lock in a scratch root;
the compose file's migrate command, the image's CMD and its HEALTHCHECK then run there
with the image's ENV (the address bound is the one thing changed: 127.0.0.1, so that the
test's traffic stays on this machine).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from cupcake_lab.ports import free_port
from tests.deploy.design import SERVICE_NAMES
from tests.deploy.dockerfile import exec_form, healthcheck_command, stages
from tests.deploy.image_replay import in_root, replay_builder, stage_env
from tests.deploy.paths import COMPOSE_FILE, dockerfile_of

HEALTHY_WITHIN = 60.0


@pytest.fixture(scope="module", params=SERVICE_NAMES)
def image_root(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Path]:
    """A service's image built as far as it can be without an engine: its root folder."""
    service: str = request.param
    root = tmp_path_factory.mktemp(f"image-{service}")
    builder, _ = stages(dockerfile_of(service))
    replay_builder(root, builder)
    return service, root


def venv_python(root: Path) -> Path:
    """The image's interpreter: the one in its virtual environment."""
    return in_root(root, "/opt/venv/bin/python")


def test_the_environment_holds_its_service_and_no_other(image_root: tuple[str, Path]) -> None:
    service, root = image_root
    probe = "import importlib.util as u, sys; print(*[m for m in sys.argv[1:] if u.find_spec(m)])"
    modules = [*SERVICE_NAMES, "cupcake_chassis", "cupcake_lab", "pytest"]
    found = subprocess.run(
        [str(venv_python(root)), "-c", probe, *modules],
        capture_output=True, text=True, timeout=60, check=True,
    ).stdout.split()  # fmt: skip
    assert found == [service, "cupcake_chassis"]


@pytest.fixture()
def running_image(image_root: tuple[str, Path]) -> Iterator[tuple[str, Path, dict[str, str], str]]:
    """The image's migrations run, then its CMD serving; stopped (its process group) after."""
    service, root = image_root
    _, runtime = stages(dockerfile_of(service))
    port = free_port()
    env = stage_env(root, runtime) | {
        "GRANIAN_HOST": "127.0.0.1",
        "GRANIAN_PORT": str(port),
        "DATABASE_URL": f"sqlite:///{root / 'data' / service}.sqlite3",
        "CUPCAKE_ADMIN_TOKEN": "test-token",
        "DJANGO_SECRET_KEY": "test-secret-key-for-the-image-recipe",
    }
    (root / "data").mkdir(exist_ok=True)
    workdir = in_root(root, runtime.one("WORKDIR"))
    workdir.mkdir(parents=True, exist_ok=True)
    compose = yaml.safe_load(COMPOSE_FILE.read_text())
    migrate = subprocess.run(
        compose["services"][f"{service}-migrate"]["command"], cwd=workdir, env=env,
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert migrate.returncode == 0, migrate.stdout + migrate.stderr
    log = root / "server.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            exec_form(runtime.one("CMD")), cwd=workdir, env=env,
            stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        yield service, log, env, f"http://127.0.0.1:{port}"
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the group of the server this test started
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(5)


def test_the_image_command_serves_and_its_healthcheck_passes(
    running_image: tuple[str, Path, dict[str, str], str],
) -> None:
    service, log, env, url = running_image
    _, runtime = stages(dockerfile_of(service))
    check = healthcheck_command(runtime.one("HEALTHCHECK"))
    deadline = time.monotonic() + HEALTHY_WITHIN
    while True:
        result = subprocess.run(check, env=env, capture_output=True, timeout=30, check=False)
        if result.returncode == 0:
            break
        assert time.monotonic() < deadline, f"never healthy:\n{log.read_text()}"
        time.sleep(0.5)
    assert httpx.get(f"{url}/readyz", timeout=5).status_code == 200
    catalogue = httpx.get(f"{url}/api/v1/{service}", timeout=5)
    assert catalogue.status_code == 200
    assert catalogue.json()["items"], "the migrations seed the catalogue"
