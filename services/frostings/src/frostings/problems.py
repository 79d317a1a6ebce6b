"""``application/problem+json`` answers (RFC 9457): the one shape of every error.

``type`` is ``about:blank`` for plain HTTP errors (``title`` is then the reason
phrase) and ``urn:cupcake-lab:problem:<name>`` for the lab's own kinds.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from flask import Response, jsonify
from werkzeug.http import HTTP_STATUS_CODES

from frostings.errors import FieldError

PROBLEM_MIMETYPE = "application/problem+json"
ABOUT_BLANK = "about:blank"
URN_PREFIX = "urn:cupcake-lab:problem:"

# The lab's own kinds of problem: name -> title.
LAB_PROBLEMS = {
    "invalid-input": "Invalid input",
    "rule-violation": "Rule violation",
    "unknown-reference": "Unknown reference",
    "upstream-unavailable": "Upstream unavailable",
    "conflict": "Conflict",
}


def problem_type(kind: str) -> str:
    """The ``type`` URI of one of the lab's own kinds of problem."""
    if kind not in LAB_PROBLEMS:
        raise KeyError(kind)
    return URN_PREFIX + kind


def problem_body(
    *, status: int, detail: str, kind: str | None = None, **extensions: Any
) -> dict[str, Any]:
    """The JSON object of a problem: of the lab kind ``kind``, else a plain HTTP error."""
    if kind is None:
        head = {"type": ABOUT_BLANK, "title": HTTP_STATUS_CODES.get(status, "Error")}
    else:
        head = {"type": problem_type(kind), "title": LAB_PROBLEMS[kind]}
    return {**head, "status": status, "detail": detail, **extensions}


def problem_response(
    *,
    status: int,
    detail: str,
    kind: str | None = None,
    headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> Response:
    """A complete problem+json response."""
    body = problem_body(status=status, detail=detail, kind=kind, **extensions)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_MIMETYPE
    for name, value in (headers or {}).items():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def errors_member(errors: list[FieldError]) -> list[dict[str, str]]:
    """The ``errors`` extension member: ``[{"field", "message"}, ...]``."""
    return [{"field": e.field, "message": e.message} for e in errors]


def _walk(messages: Any, path: tuple[str, ...]) -> Iterator[FieldError]:
    if isinstance(messages, Mapping):
        for key, nested in messages.items():
            # marshmallow reports errors about the object itself under "_schema".
            step = () if key == "_schema" else (str(key),)
            yield from _walk(nested, path + step)
    elif isinstance(messages, list | tuple):
        for message in messages:
            yield from _walk(message, path)
    else:
        yield FieldError(".".join(path), str(messages))


def field_errors_from_messages(messages: Mapping[str, Any]) -> list[FieldError]:
    """Flatten marshmallow/webargs messages ``{location: {field: [msg]}}`` into field errors.

    Nested fields and list items become dotted paths (``bodies.0``); an error about the
    whole object has the empty field name.
    """
    return [error for nested in messages.values() for error in _walk(nested, ())]
