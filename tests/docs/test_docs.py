"""The docs tell the truth about the repository: links resolve, named targets exist, and
nothing points outside the repository (the docs are all a reader gets)."""

from __future__ import annotations

import re
import subprocess
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Spelt in two pieces, so that this file does not name what it looks for.
OUTSIDE = ("DESIGN" + ".md", "../" + "shared/")
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
MAKE_TARGET = re.compile(r"`make ([a-z][a-z0-9-]*)")
HEADING = re.compile(r"^#{1,6} (.+)$", re.MULTILINE)
# A file named in code spans: `dir/name.ext` (URL paths start with "/", and are not files).
FILE_NAMED = re.compile(r"`([\w.-]+(?:/[\w.-]+)*/[\w-]+\.[a-z]{2,4})`")
# What the lab and the tests write at run time: named in the docs, never tracked.
RUN_TIME_OUTPUTS = (".lab/", "test-results/")
# Where a name relative to a source tree or a package is looked up (`bodies/api.py`,
# `assembler/upstream.py`, ...).
SOURCE_ROOTS = ("services/*/src", "libs/*/src", "launcher/src", "services/*/src/*", "libs/*/src/*")
LAYOUT_BLOCK = re.compile(r"^## Layout\n+```\n(.*?)```", re.MULTILINE | re.DOTALL)


@cache
def tracked_files() -> tuple[Path, ...]:
    """Every file git tracks in the repository."""
    names = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.split()
    return tuple(ROOT / name for name in names)


def markdown_files() -> list[Path]:
    """Every tracked Markdown file."""
    return [path for path in tracked_files() if path.suffix == ".md"]


def anchor_of(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as ``-``."""
    text = re.sub(r"[`*_]", "", heading).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """The anchors of every heading of a Markdown file."""
    return {anchor_of(heading) for heading in HEADING.findall(path.read_text())}


def make_targets() -> set[str]:
    """The targets the Makefile defines."""
    text = (ROOT / "Makefile").read_text()
    found = set(re.findall(r"^([a-z][a-z0-9-]*):", text, re.MULTILINE))
    return found | {f"test-{name}" for name in ("bodies", "frostings", "toppings")}


def file_exists(named: str, *, beside: Path) -> bool:
    """Whether ``named`` is a file or directory beside the doc, at the root or in a package."""
    places = [beside, ROOT, *(root for glob in SOURCE_ROOTS for root in ROOT.glob(glob))]
    return any((place / named).exists() for place in places)


def test_no_file_points_outside_the_repository() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}: {needle}"
        for path in tracked_files()
        if path.suffix not in (".png", ".lock") and path.is_file()
        for needle in OUTSIDE
        if needle in path.read_text(errors="replace")
    ]
    assert offenders == []


@pytest.mark.parametrize("path", markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(path: Path) -> None:
    broken = []
    for target in LINK.findall(path.read_text()):
        if re.match(r"[a-z]+:", target):
            continue  # http:, https:, mailto:
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        if not linked.exists():
            broken.append(target)
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            broken.append(target)
    assert broken == []


@pytest.mark.parametrize("path", markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_make_target_named_exists(path: Path) -> None:
    named = set(MAKE_TARGET.findall(path.read_text()))
    assert named - make_targets() == set()


@pytest.mark.parametrize("path", markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_file_named_exists(path: Path) -> None:
    named = set(FILE_NAMED.findall(path.read_text()))
    missing = {
        name
        for name in named
        if not name.startswith(RUN_TIME_OUTPUTS) and not file_exists(name, beside=path.parent)
    }
    assert missing == set()


def test_every_path_of_the_readmes_layout_exists() -> None:
    layout = LAYOUT_BLOCK.search((ROOT / "README.md").read_text())
    assert layout is not None, "the README has a Layout section with a code block"
    # An indented line goes on describing the path above it.
    listed = [line.split()[0] for line in layout.group(1).splitlines() if line[:1].strip()]
    assert [name for name in listed if not (ROOT / name).exists()] == []


def test_a_file_named_in_a_code_span_is_found_and_a_url_path_is_not() -> None:
    text = "see `services/bodies/README.md`, `/api/v1/openapi.json` and `make up`"
    assert FILE_NAMED.findall(text) == ["services/bodies/README.md"]


def test_the_anchor_of_a_heading_is_githubs() -> None:
    assert anchor_of("How failure looks") == "how-failure-looks"
    assert anchor_of("Errors: `application/problem+json` (RFC 9457)") == (
        "errors-applicationproblemjson-rfc-9457"
    )
