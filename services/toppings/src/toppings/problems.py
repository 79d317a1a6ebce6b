"""Errors as ``application/problem+json`` (RFC 9457), and the lab's own error kinds."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from pyramid.response import Response

PROBLEM_JSON = "application/problem+json"
PROBLEM_TYPE_PREFIX = "urn:cupcake-lab:problem:"


@dataclass(frozen=True)
class FieldError:
    """One reason a field of the input was refused."""

    field: str
    message: str


class InvalidInput(Exception):
    """The input is well-formed but breaks the rules (422 ``invalid-input``)."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = list(errors)


class BadRequest(Exception):
    """The input cannot be understood at all (400)."""


def problem_type(name: str) -> str:
    """Return the URN of the lab's problem kind ``name`` (e.g. ``conflict``)."""
    return PROBLEM_TYPE_PREFIX + name


def problem_response(
    *,
    status: int,
    detail: str,
    type_: str = "about:blank",
    title: str | None = None,
    headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> Response:
    """Return a problem+json response; ``extensions`` become extra members."""
    body = {
        "type": type_,
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        **extensions,
    }
    response = Response(
        status=status,
        body=json.dumps(body).encode(),
        content_type=PROBLEM_JSON,
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
        type_=problem_type("invalid-input"),
        title="Invalid input",
        detail=f"the input is not valid: {fields}",
        errors=[{"field": e.field, "message": e.message} for e in errors],
    )
