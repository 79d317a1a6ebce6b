"""The three service images, built from the real Dockerfiles as a user would build them."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from tests.containers.base_images import RESOURCE_LIMITS, Podman

REPO = Path(__file__).resolve().parents[2]
SERVICES = ("bodies", "frostings", "toppings")
# What the Compose file and the manifests call them.
TAG = "dev"


@dataclass(frozen=True)
class Built:
    """An image built for a service: its name, its size and how long the build took."""

    service: str
    image: str
    seconds: float
    size_bytes: int


def image_build(podman: Podman, service: str) -> Built:
    """Build ``cupcake-<service>:dev`` from the service's Dockerfile, from the repository
    root. The Docker format keeps the image's HEALTHCHECK (the OCI format drops it)."""
    image = f"cupcake-{service}:{TAG}"
    started = time.monotonic()
    podman.run("build", "--format", "docker", *RESOURCE_LIMITS, "--file",
               str(REPO / "services" / service / "Dockerfile"), "--tag", image, str(REPO),
               timeout=900)  # fmt: skip
    seconds = time.monotonic() - started
    return Built(service, image, seconds, podman.image_size(image))
