"""The documents a minimal view serves: the lab's own answers, captured by the harness.

The harness names a file in ``CUPCAKE_BENCH_DOCUMENTS``; each entry is a path, the document
answered there, and the JSON style (separators, ASCII escapes, final newline) the view's
framework is set to write it in, so that it answers the lab's bytes exactly.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.reads import DOCUMENTS_ENV
from bench.same_bytes import JsonStyle


@dataclass(frozen=True)
class Served:
    """One path of a minimal view and what it answers."""

    path: str
    document: Any
    style: JsonStyle


def served_documents() -> list[Served]:
    """The documents named by ``CUPCAKE_BENCH_DOCUMENTS`` (SystemExit without it)."""
    name = os.environ.get(DOCUMENTS_ENV)
    if not name:
        raise SystemExit(f"a minimal view serves the documents named by {DOCUMENTS_ENV}")
    data = json.loads(Path(name).read_text())
    return [
        Served(entry["path"], entry["document"], JsonStyle.from_dict(entry["style"]))
        for entry in data["documents"]
    ]


def one_style(documents: list[Served]) -> JsonStyle:
    """The style every document is written in: a framework's JSON setting is per app."""
    styles = {served.style for served in documents}
    if len(styles) != 1:
        raise SystemExit(f"one minimal app writes one JSON style, not {len(styles)}: {styles}")
    return styles.pop()
