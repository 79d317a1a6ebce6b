"""Every object the kustomizations render is valid against Kubernetes' own schemas, offline.

kubernetes-validate ships the OpenAPI schemas of each Kubernetes release; strict mode also
refuses fields the schema does not know (a misspelt or misplaced key).
"""

from __future__ import annotations

import copy

import kubernetes_validate
import pytest
from kubernetes_validate.utils import ValidationError, latest_version

from tests.deploy.kustomize import Manifest

# The newest release the package knows, and an older one still found on local clusters.
KUBERNETES_VERSIONS = (latest_version(), "1.31.0")


def schema_errors(manifests: list[Manifest], version: str) -> list[str]:
    """One line per object that does not validate against ``version``'s schemas."""
    errors = []
    for manifest in manifests:
        try:
            kubernetes_validate.validate(manifest, version, strict=True)
        except ValidationError as error:
            where = "/".join(str(part) for part in error.path)
            errors.append(
                f"{manifest['kind']}/{manifest['metadata']['name']}: {where}: {error.message}"
            )
    return errors


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_every_rendered_object_validates_against_the_kubernetes_schemas(
    rendering: tuple[str, list[Manifest]], version: str
) -> None:
    name, manifests = rendering
    assert len(manifests) > 10, f"{name} rendered almost nothing"
    assert schema_errors(manifests, version) == []


def test_the_validation_refuses_an_unknown_field(base_manifests: list[Manifest]) -> None:
    deployment = copy.deepcopy(next(m for m in base_manifests if m["kind"] == "Deployment"))
    deployment["spec"]["template"]["spec"]["containers"][0]["livenessprobe"] = {}
    assert len(schema_errors([deployment], latest_version())) == 1
