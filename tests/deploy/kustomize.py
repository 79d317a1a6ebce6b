"""Render a kustomization with kubectl's built-in kustomize, and read the objects it makes."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import yaml

from tests.deploy.paths import K8S, tool

Manifest = dict[str, Any]


def kustomize_build(directory: Path) -> list[Manifest]:
    """The objects ``kubectl kustomize directory`` renders (it fails the test if it cannot)."""
    result = subprocess.run(
        [str(tool("kubectl")), "kustomize", str(directory)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, f"kubectl kustomize {directory} failed:\n{result.stderr}"
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def k8s_copy_with_example_secrets(destination: Path) -> Path:
    """Copy deploy/k8s to ``destination``, each secrets.env made from its .example.

    The real secrets.env files are git-ignored, so a fresh clone has none; the overlay
    needs one to render. Returns the copy's root.
    """
    root = destination / "k8s"
    shutil.copytree(K8S, root, ignore=shutil.ignore_patterns("secrets.env"))
    for example in root.rglob("secrets.env.example"):
        shutil.copyfile(example, example.with_name("secrets.env"))
    return root


def of_kind(manifests: list[Manifest], kind: str) -> list[Manifest]:
    """The objects of ``kind``."""
    return [m for m in manifests if m["kind"] == kind]


def named(manifests: list[Manifest], kind: str, name: str) -> Manifest:
    """The one object of ``kind`` called ``name`` (the test fails if there is none)."""
    found = [m for m in of_kind(manifests, kind) if m["metadata"]["name"] == name]
    assert len(found) == 1, f"expected one {kind} {name}, found {len(found)}"
    return found[0]


def env_file_keys(path: Path) -> dict[str, str]:
    """The KEY=value pairs of an env file (comments and blank lines left out)."""
    pairs = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            pairs[key.strip()] = value.strip()
    return pairs
