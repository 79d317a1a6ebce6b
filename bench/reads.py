"""The reads the benchmark measures, and the bodies the lab answers them with.

Each read is compared with its framework's minimal view answering the same bytes: the
harness captures the lab's answer once, the baseline serves that document again (see
``bench.minimal.documents``) and must answer it byte for byte before it is measured.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench.same_bytes import JsonStyle, NotSameBytes, difference, shape, style_find

COMPOSE = "/api/v1/cupcake?body=vanilla&frosting=chocolate&topping=cherry"
# Each framework's minimal view, as a granian factory.
BASELINES = {
    "django": "bench.minimal.django_minimal:make_app",
    "flask": "bench.minimal.flask_minimal:make_app",
    "pyramid": "bench.minimal.pyramid_minimal:make_app",
}
# The environment variable naming the file of documents a baseline serves.
DOCUMENTS_ENV = "CUPCAKE_BENCH_DOCUMENTS"


@dataclass(frozen=True)
class Read:
    """One GET the benchmark measures, on one service."""

    service: str
    framework: str
    path: str
    # A composition carries per-request timings: its baseline serves one captured copy.
    per_request: bool = False

    @property
    def name(self) -> str:
        """How the tables name it."""
        if self.per_request:
            return "composition (warm)"
        return f"{self.service} `GET {self.path}`"


CATALOGUE_READS = (
    Read("bodies", "django", "/api/v1/bodies"),
    Read("frostings", "flask", "/api/v1/frostings"),
    Read("toppings", "pyramid", "/api/v1/toppings"),
    Read("bodies", "django", "/api/v1/bodies/vanilla"),
    Read("frostings", "flask", "/api/v1/frostings/vanilla"),
    Read("toppings", "pyramid", "/api/v1/toppings/flag"),
)
COMPOSITION = Read("bodies", "django", COMPOSE, per_request=True)
READS = (*CATALOGUE_READS, COMPOSITION)


@dataclass(frozen=True)
class Captured:
    """A read's body as the lab answered it, parsed, with the style to write it again."""

    read: Read
    body: bytes
    document: Any
    style: JsonStyle


def capture(read: Read, body: bytes, *, again: bytes) -> Captured:
    """What ``read`` answered (``body``); ``again`` is a second answer to the same read.

    A catalogue read must answer the same bytes twice. A composition may differ in its
    per-request values (timings, budgets), never in its shape. NotSameBytes otherwise.
    """
    document, style = style_find(body)
    if read.per_request:
        if shape(json.loads(again)) != shape(document):
            raise NotSameBytes(f"{read.name}: two answers differ in shape")
    elif (diff := difference(body, again)) is not None:
        raise NotSameBytes(f"{read.name}: two answers differ: {diff}")
    return Captured(read, body, document, style)


def capture_over_http(read: Read, base_url: str) -> Captured:
    """GET ``read`` from a running service (after one warm-up GET) and capture its body."""
    url = f"{base_url}{read.path}"
    with httpx.Client(timeout=10) as client:
        client.get(url).raise_for_status()
        first, second = client.get(url), client.get(url)
    first.raise_for_status()
    return capture(read, first.content, again=second.content)


def documents_write(captured: list[Captured], path: Path) -> Path:
    """Write the documents a baseline serves (path, document, style) to ``path``."""
    entries = [
        {"path": c.read.path.partition("?")[0], "document": c.document, "style": c.style.as_dict()}
        for c in captured
    ]
    path.write_text(json.dumps({"documents": entries}))
    return path


def baseline_check(captured: Captured, answered: bytes) -> None:
    """Fail loudly unless the baseline answered the read's very bytes."""
    diff = difference(captured.body, answered)
    if diff is not None:
        raise NotSameBytes(
            f"the minimal {captured.read.framework} view does not answer the bytes of "
            f"{captured.read.name}: {diff}"
        )
