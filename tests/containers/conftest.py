"""Fixtures: podman, the base images, the service images, the lab of deploy/compose.yaml
running as containers, and the rendered deploy/k8s overlay played with ``podman kube play``.

Without podman, debootstrap (to make the base images where no registry is reachable) or
root, the suite is skipped with a clear message, unless ``CUPCAKE_REQUIRE_ALL_SUITES=1``
(set by CI) makes that a failure.
"""

from __future__ import annotations

import os
import secrets
import shutil
import time
from collections.abc import Iterator

import pytest

from tests.containers.base_images import Podman, postgres_image_ensure, python_base_ensure
from tests.containers.compose_lab import ComposeLab, compose_lab_running
from tests.containers.figures import figure_note, figures_noted, figures_start
from tests.containers.images import REPO, SERVICES, Built, image_build
from tests.containers.kube_play import KubeLab, kube_lab_running, translated
from tests.deploy.kustomize import k8s_copy_with_example_secrets, kustomize_build

COMPOSE_FILE = REPO / "deploy" / "compose.yaml"


def pytest_configure(config: pytest.Config) -> None:
    """Start the clock of the run: the figures count from here."""
    figures_start(config)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the run's figures: image sizes and build times, the time to a composition."""
    figures = figures_noted(terminalreporter.config)
    if figures:
        terminalreporter.write_sep("-", "container figures")
        for name, value in figures.items():
            terminalreporter.write_line(f"{name}: {value}")


@pytest.fixture(scope="session")
def podman(tmp_path_factory: pytest.TempPathFactory) -> Podman:
    """Podman configured for this machine, or a skip (a failure in CI) without what it needs."""
    missing = [
        f"{tool} (on Debian or Ubuntu: apt-get install {package})"
        for tool, package in [("podman", "podman runc"), ("debootstrap", "debootstrap")]
        if shutil.which(tool) is None
    ]
    if os.geteuid() != 0:
        missing.append("root (debootstrap and chroot make the images' roots)")
    if missing:
        message = "the container tests need " + " and ".join(missing)
        if os.environ.get("CUPCAKE_REQUIRE_ALL_SUITES") == "1":
            pytest.fail(f"{message}; CUPCAKE_REQUIRE_ALL_SUITES=1 requires every suite to run")
        pytest.skip(message)
    return Podman.configured_in(tmp_path_factory.mktemp("podman"))


@pytest.fixture(scope="session")
def python_image(podman: Podman, pytestconfig: pytest.Config) -> str:
    """The Python base image, made on this machine's first run."""
    made = python_base_ensure(podman)
    figure_note(pytestconfig, "python base", _made(made.seconds, podman.image_size(made.name)))
    return made.name


@pytest.fixture(scope="session")
def postgres_image(podman: Podman, pytestconfig: pytest.Config) -> str:
    """The PostgreSQL image, made on this machine's first run."""
    made = postgres_image_ensure(podman)
    figure_note(pytestconfig, "postgres image", _made(made.seconds, podman.image_size(made.name)))
    return made.name


def _made(seconds: float, size: int) -> str:
    how = f"made in {seconds:.1f} s" if seconds else "reused"
    return f"{size / 1e6:.0f} MB, {how}"


@pytest.fixture(scope="session")
def images(podman: Podman, python_image: str, pytestconfig: pytest.Config) -> dict[str, Built]:
    """The three service images, built from the real Dockerfiles (layers cached) on the
    Python base of their default ``PYTHON_IMAGE``."""
    built = {service: image_build(podman, service) for service in SERVICES}
    for image in built.values():
        figure_note(pytestconfig, image.image, f"{image.size_bytes / 1e6:.0f} MB, built in "
                    f"{image.seconds:.1f} s")  # fmt: skip
    return built


@pytest.fixture(scope="module")
def compose_lab(
    podman: Podman, images: dict[str, Built], postgres_image: str
) -> Iterator[ComposeLab]:
    """deploy/compose.yaml's lab, on PostgreSQL, as containers, removed afterwards."""
    variables = {
        "CUPCAKE_ADMIN_TOKEN": secrets.token_hex(16),
        "DJANGO_SECRET_KEY": secrets.token_hex(32),
        **{f"{s.upper()}_DB_PASSWORD": secrets.token_hex(12) for s in SERVICES},
        # PostgreSQL 15 from Debian's packages: no registry here to pull postgres:16 from.
        "POSTGRES_IMAGE": postgres_image,
    }
    project = f"cupcake-ct-{secrets.token_hex(3)}"
    yield from compose_lab_running(podman, COMPOSE_FILE, variables, project=project)


@pytest.fixture(scope="module")
def kube_lab(
    podman: Podman,
    images: dict[str, Built],
    postgres_image: str,
    tmp_path_factory: pytest.TempPathFactory,
    pytestconfig: pytest.Config,
) -> Iterator[KubeLab]:
    """deploy/k8s/overlays/local, rendered by kustomize and played by ``podman kube play``
    with fresh secrets, removed afterwards."""
    work = tmp_path_factory.mktemp("kube")
    k8s = k8s_copy_with_example_secrets(work)
    for secrets_env in k8s.rglob("secrets.env"):
        secrets_env.write_text(secrets_env.read_text().replace("change-me", secrets.token_hex(16)))
    played = translated(
        kustomize_build(k8s / "overlays" / "local"),
        project=f"cupcake-kp-{secrets.token_hex(3)}",
        # PostgreSQL 15 from Debian's packages: no registry here to pull postgres:16 from.
        images={"postgres:16": postgres_image},
    )
    started = time.monotonic()
    running = kube_lab_running(podman, played, work)
    lab = next(running)
    figure_note(pytestconfig, "kube play", f"the overlay played and ready in "
                f"{time.monotonic() - started:.1f} s")  # fmt: skip
    yield lab
    running.close()
