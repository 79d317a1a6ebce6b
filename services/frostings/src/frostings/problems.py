"""``application/problem+json`` answers (RFC 9457) as Flask responses.

The document itself (kinds, titles, ``type``) is the chassis' (``cupcake_chassis.problems``);
this module turns it into a response and flattens marshmallow's messages into field errors.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from flask import Response, jsonify

from cupcake_chassis.problems import PROBLEM_MEDIA_TYPE, FieldError, problem_document


def problem_response(
    *,
    status: int,
    detail: str,
    kind: str | None = None,
    headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> Response:
    """A complete problem+json response (``kind``: one of the lab's kinds, else none)."""
    response = jsonify(problem_document(status=status, detail=detail, kind=kind, **extensions))
    response.status_code = status
    response.mimetype = PROBLEM_MEDIA_TYPE
    for name, value in (headers or {}).items():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


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
