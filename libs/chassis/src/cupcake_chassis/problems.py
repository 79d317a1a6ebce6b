"""Problem documents (RFC 9457): the one shape of every error the lab answers.

Framework-free: the document is a dict; each service's ``problems`` module turns it into
its framework's response, and ``problem_response`` here into a WSGI answer for the
chassis' own middleware. ``type`` is ``about:blank`` for plain HTTP errors (``title`` is
then the status's reason phrase) and ``urn:cupcake-lab:problem:<kind>`` for the lab's own
kinds, each with one title whatever the occurrence.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

StartResponse = Callable[..., Any]

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_PREFIX = "urn:cupcake-lab:problem:"
ABOUT_BLANK = "about:blank"

# The lab's own kinds of problem: kind -> title.
LAB_PROBLEMS = {
    "invalid-input": "Invalid input",
    "rule-violation": "Rule violation",
    "unknown-reference": "Unknown reference",
    "conflict": "Conflict",
    "idempotency-key-reused": "Idempotency key reused",
    "rate-limited": "Too many requests",
    "upstream-unavailable": "Upstream unavailable",
    "database-unavailable": "Database unavailable",
    "overloaded": "Service overloaded",
    "deadline-exceeded": "Deadline exceeded",
    "chaos": "Injected fault",
}


@dataclass(frozen=True)
class FieldError:
    """One reason a field of the input was refused (``field`` is a dotted path, or empty
    for the input as a whole)."""

    field: str
    message: str


def problem_type(kind: str) -> str:
    """The ``type`` URI of one of the lab's own kinds of problem (``KeyError`` if unknown)."""
    if kind not in LAB_PROBLEMS:
        raise KeyError(kind)
    return PROBLEM_TYPE_PREFIX + kind


def problem_title(status: int, kind: str | None = None) -> str:
    """The ``title`` of a problem: its kind's, else the status's reason phrase."""
    return LAB_PROBLEMS[kind] if kind is not None else HTTPStatus(status).phrase


def problem_document(
    *, status: int, detail: str, kind: str | None = None, **extensions: Any
) -> dict[str, Any]:
    """The JSON object of a problem: of the lab's kind ``kind``, else a plain HTTP error.

    ``extensions`` become extra members (``errors``, ``rule``, ``service``, ...).
    """
    return {
        "type": ABOUT_BLANK if kind is None else problem_type(kind),
        "title": problem_title(status, kind),
        "status": status,
        "detail": detail,
        **extensions,
    }


def errors_member(errors: Sequence[FieldError]) -> list[dict[str, str]]:
    """The ``errors`` extension member: ``[{"field", "message"}, ...]``."""
    return [{"field": e.field, "message": e.message} for e in errors]


def headers_added(start_response: StartResponse, *added: tuple[str, str]) -> StartResponse:
    """``start_response`` that also sends the ``added`` headers with every answer."""

    def start_with_added(status: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
        return start_response(status, [*headers, *added], *exc)

    return start_with_added


def problem_response(
    start_response: StartResponse,
    status: int,
    detail: str,
    *,
    kind: str | None = None,
    headers: Iterable[tuple[str, str]] = (),
) -> list[bytes]:
    """Start an RFC 9457 answer and return its body (a WSGI iterable)."""
    body = json.dumps(problem_document(status=status, detail=detail, kind=kind)).encode()
    start_response(
        f"{status} {HTTPStatus(status).phrase}",
        [
            ("Content-Type", PROBLEM_MEDIA_TYPE),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
            *headers,
        ],
    )
    return [body]
