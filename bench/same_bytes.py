"""Same bytes: the JSON style a read is written in, and whether a baseline answers it exactly.

A minimal view compared with a read must do the same work: answer the same document, written
the same way. The style (separators, ASCII escapes, a final newline) is read off the lab's own
answer, so each baseline can set its framework's JSON response to write exactly those bytes.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

COMPACT = (",", ":")
SPACED = (", ", ": ")


class NotSameBytes(Exception):
    """A baseline's answer is not the read's, or a read's bytes fit no known JSON style."""


@dataclass(frozen=True)
class JsonStyle:
    """How a JSON document is written: what ``json.dumps`` needs to write it again."""

    separators: tuple[str, str]
    ensure_ascii: bool
    newline: bool

    def dumps(self, document: Any) -> bytes:
        """``document`` written in this style (keys in the document's own order)."""
        text = json.dumps(document, separators=self.separators, ensure_ascii=self.ensure_ascii)
        return (text + "\n" if self.newline else text).encode()

    def as_dict(self) -> dict[str, Any]:
        """The style as JSON-ready data."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> JsonStyle:
        """The style ``as_dict`` wrote."""
        item, key = data["separators"]
        return cls((item, key), bool(data["ensure_ascii"]), bool(data["newline"]))


def style_find(body: bytes) -> tuple[Any, JsonStyle]:
    """The document in ``body`` and the style that writes it back byte for byte.

    Keys keep the order they have in ``body`` (sorted keys are simply that order), so no
    style sorts them. NotSameBytes if no style writes ``body`` again.
    """
    try:
        document = json.loads(body)
    except ValueError as exc:
        raise NotSameBytes(f"not JSON: {body[:80]!r}") from exc
    newline = body.endswith(b"\n")
    for separators in (COMPACT, SPACED):
        for ensure_ascii in (True, False):
            style = JsonStyle(separators, ensure_ascii, newline)
            if style.dumps(document) == body:
                return document, style
    raise NotSameBytes(f"no JSON style writes these bytes again: {body[:80]!r}")


def difference(expected: bytes, answered: bytes) -> str | None:
    """None when ``answered`` is ``expected``; else where and how they first differ."""
    if expected == answered:
        return None
    at = next(
        (i for i, (a, b) in enumerate(zip(expected, answered, strict=False)) if a != b),
        min(len(expected), len(answered)),
    )
    return (
        f"{len(answered)} bytes instead of {len(expected)}, first different at byte {at}: "
        f"expected {expected[max(0, at - 20) : at + 40]!r}, "
        f"answered {answered[max(0, at - 20) : at + 40]!r}"
    )


def shape(document: Any) -> Any:
    """``document`` with every value replaced by its type: what stays when timings change."""
    if isinstance(document, dict):
        return {key: shape(value) for key, value in document.items()}
    if isinstance(document, list):
        return [shape(value) for value in document]
    return type(document).__name__
