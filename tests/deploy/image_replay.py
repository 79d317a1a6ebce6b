"""Run a Dockerfile's install and start commands on this machine, in a folder for its root.

No container engine runs here. What can still be run for real is what the image does:
the builder stage's COPY and `uv sync` instructions (with the project's own uv in place
of the one the image installs with pip), then the runtime stage's migrations, CMD and
HEALTHCHECK, with its ENV. Absolute paths of the image (/opt/venv, /tmp/...) are taken
under the folder standing for the image's root. Base image, user and read-only layers
are what this leaves out.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

from tests.deploy.dockerfile import Stage, copy_sources
from tests.deploy.paths import REPO

UV = REPO / ".venvs" / "tools" / "bin" / "uv"
# What .dockerignore keeps out of the build context, as far as the copied trees go.
CONTEXT_IGNORED = shutil.ignore_patterns(
    "tests", "__pycache__", "*.pyc", ".pytest_cache", "*.sqlite3*"
)


def in_root(root: Path, path: str) -> Path:
    """Where the image path ``path`` is under ``root``."""
    return root / path.lstrip("/")


def remapped(root: Path, value: str) -> str:
    """An ENV value with each absolute path in it taken under ``root`` ($PATH left as is)."""
    entries = value.split(":")
    return ":".join(
        str(in_root(root, entry)) if entry.startswith("/") else entry for entry in entries
    )


def stage_env(root: Path, stage: Stage) -> dict[str, str]:
    """The process environment for a stage: this machine's, with the stage's ENV on top."""
    env = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
    for key, value in stage.env().items():
        env[key] = remapped(root, value).replace("$PATH", os.environ["PATH"])
    return env


def _copy(root: Path, workdir: str, value: str) -> None:
    sources, destination = copy_sources(value)
    target = in_root(root, os.path.join(workdir, destination))
    for source in sources:
        origin = REPO / source
        if origin.is_dir():  # a folder's contents go to the destination
            shutil.copytree(origin, target, ignore=CONTEXT_IGNORED, dirs_exist_ok=True)
        else:
            into = target if destination.endswith("/") else target.parent
            into.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, into / origin.name if destination.endswith("/") else target)


# The one setting of the image's uv that changes only how fast an install is, not what it
# holds: here files may be linked out of uv's cache rather than copied.
FASTER_UV = {"UV_LINK_MODE": "hardlink"}


def replay_builder(root: Path, stage: Stage) -> None:
    """Carry out the builder stage's instructions under ``root`` (fails on any other kind)."""
    assert UV.exists(), f"{UV} is missing: run `make install`"
    env = stage_env(root, stage) | FASTER_UV
    workdir = "/"
    for instruction in stage.instructions:
        keyword, value = instruction.keyword, instruction.value
        if keyword in ("ARG", "ENV"):
            continue  # ARG only feeds the pip line below; ENV is in env already
        if keyword == "WORKDIR":
            workdir = value
            in_root(root, workdir).mkdir(parents=True, exist_ok=True)
        elif keyword == "COPY":
            _copy(root, workdir, value)
        elif keyword == "RUN" and value.startswith("pip install") and '"uv==' in value:
            continue  # the image's way to get uv; the project's uv stands in for it
        elif keyword == "RUN" and value.startswith("uv "):
            result = subprocess.run(
                [str(UV), *shlex.split(value)[1:]], cwd=in_root(root, workdir), env=env,
                capture_output=True, text=True, timeout=600, check=False,
            )  # fmt: skip
            assert result.returncode == 0, f"{value}\n{result.stderr}"
        else:
            raise AssertionError(f"the replay does not know {keyword} {value}")
