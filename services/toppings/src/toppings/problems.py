"""Errors as ``application/problem+json`` (RFC 9457) Pyramid responses, and the exceptions
that become them.

The document itself (kinds, titles, ``type``) is the chassis' (``cupcake_chassis.problems``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from pyramid.response import Response

from cupcake_chassis.problems import (
    PROBLEM_MEDIA_TYPE,
    FieldError,
    errors_member,
    problem_document,
)


class InvalidInput(Exception):
    """The input is well-formed but breaks the rules (422 ``invalid-input``)."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = list(errors)


class BadRequest(Exception):
    """The input cannot be understood at all (400)."""


def problem_response(
    *,
    status: int,
    detail: str,
    kind: str | None = None,
    headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> Response:
    """Return a problem+json response (``kind``: one of the lab's kinds, else none)."""
    document = problem_document(status=status, detail=detail, kind=kind, **extensions)
    response = Response(
        status=status,
        body=json.dumps(document).encode(),
        content_type=PROBLEM_MEDIA_TYPE,
        charset=None,
    )
    response.headers.update(headers or {})
    # Errors must not be cached in place of the resource.
    response.cache_control = "no-store"
    return response


def invalid_input_response(errors: Sequence[FieldError]) -> Response:
    """Return the 422 ``invalid-input`` problem listing each refused field."""
    fields = ", ".join(sorted({e.field for e in errors}))
    return problem_response(
        status=422,
        kind="invalid-input",
        detail=f"the input is not valid: {fields}",
        errors=errors_member(errors),
    )
