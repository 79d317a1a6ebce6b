"""A Dockerfile read into its stages, with the few instruction forms this project uses."""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from pathlib import Path

from dockerfile_parse import DockerfileParser


@dataclass(frozen=True)
class Instruction:
    """One instruction: its keyword (upper case) and the text after it."""

    keyword: str
    value: str


@dataclass(frozen=True)
class Stage:
    """One build stage: its name, its base image and its instructions after FROM."""

    name: str
    base: str
    instructions: tuple[Instruction, ...]

    def all(self, keyword: str) -> list[str]:
        """The values of every ``keyword`` instruction of the stage."""
        return [i.value for i in self.instructions if i.keyword == keyword]

    def one(self, keyword: str) -> str:
        """The value of the stage's only ``keyword`` instruction."""
        (value,) = self.all(keyword)
        return value

    def env(self) -> dict[str, str]:
        """The variables the stage's ENV instructions set (values as written)."""
        variables = {}
        for value in self.all("ENV"):
            for pair in shlex.split(value):
                key, _, setting = pair.partition("=")
                variables[key] = setting
        return variables


def build_args(path: Path) -> dict[str, str]:
    """The ARG defaults declared before the first FROM."""
    args = {}
    for item in DockerfileParser(path=str(path)).structure:
        if item["instruction"] == "FROM":
            break
        if item["instruction"] == "ARG":
            key, _, default = item["value"].partition("=")
            args[key] = default
    return args


def stages(path: Path) -> list[Stage]:
    """The Dockerfile's build stages, in order (comments left out)."""
    args = build_args(path)
    found: list[Stage] = []
    for item in DockerfileParser(path=str(path)).structure:
        keyword, value = item["instruction"], item["value"]
        if keyword == "FROM":
            image, _, name = value.partition(" AS ")
            for arg, default in args.items():
                image = image.replace(f"${{{arg}}}", default)
            found.append(Stage(name.strip(), image.strip(), ()))
        elif found and keyword != "COMMENT":
            last = found[-1]
            found[-1] = Stage(
                last.name, last.base, (*last.instructions, Instruction(keyword, value))
            )
    return found


def exec_form(value: str) -> list[str]:
    """The argv of an exec-form CMD or ENTRYPOINT (a JSON array)."""
    argv = json.loads(value)
    assert isinstance(argv, list) and all(isinstance(a, str) for a in argv), value
    return argv


def healthcheck_command(value: str) -> list[str]:
    """The argv a HEALTHCHECK runs (its exec-form CMD after the options)."""
    _, _, command = value.partition("CMD")
    return exec_form(command.strip())


def copy_sources(value: str) -> tuple[list[str], str]:
    """A COPY's sources and destination (no flags: those are checked on their own)."""
    parts = value.split()
    assert not parts[0].startswith("--"), value
    return parts[:-1], parts[-1]
