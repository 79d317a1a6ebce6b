"""Fixtures: the Kubernetes manifests rendered once per session, base and local overlay."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.deploy.kustomize import Manifest, k8s_copy_with_example_secrets, kustomize_build
from tests.deploy.paths import K8S_BASE


@pytest.fixture(scope="session")
def base_manifests() -> list[Manifest]:
    """The objects deploy/k8s/base renders."""
    return kustomize_build(K8S_BASE)


@pytest.fixture(scope="session")
def k8s_with_secrets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of deploy/k8s with each git-ignored secrets.env made from its example."""
    return k8s_copy_with_example_secrets(tmp_path_factory.mktemp("deploy"))


@pytest.fixture(scope="session")
def local_manifests(k8s_with_secrets: Path) -> list[Manifest]:
    """The objects deploy/k8s/overlays/local renders (secrets from secrets.env.example)."""
    return kustomize_build(k8s_with_secrets / "overlays" / "local")


@pytest.fixture(scope="session", params=["base", "local"])
def rendering(
    request: pytest.FixtureRequest, base_manifests: list[Manifest], local_manifests: list[Manifest]
) -> tuple[str, list[Manifest]]:
    """Each rendering in turn, with its name."""
    return request.param, base_manifests if request.param == "base" else local_manifests
