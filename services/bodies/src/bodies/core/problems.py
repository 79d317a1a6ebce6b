"""Problem details (RFC 9457) as Django responses, and the exceptions that become them.

The document itself (kinds, titles, ``type``) is the chassis' (``cupcake_chassis.problems``).
"""

import json
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from django.http import HttpResponse
from django.http.response import HttpResponseBase

from cupcake_chassis.problems import (
    PROBLEM_MEDIA_TYPE,
    FieldError,
    errors_member,
    problem_document,
)

WWW_AUTHENTICATE = 'Bearer realm="cupcake-lab"'


def problem_response(
    *,
    status: int,
    detail: str,
    kind: str | None = None,
    headers: Mapping[str, str] | None = None,
    **extensions: Any,
) -> HttpResponse:
    """Return an ``application/problem+json`` response (``kind``: one of the lab's kinds)."""
    document = problem_document(status=status, detail=detail, kind=kind, **extensions)
    return HttpResponse(
        json.dumps(document),
        status=status,
        content_type=PROBLEM_MEDIA_TYPE,
        headers=dict(headers or {}),
    )


def is_problem_response(response: HttpResponseBase) -> bool:
    """Tell whether ``response`` already is a problem document."""
    return str(response.get("Content-Type", "")).startswith(PROBLEM_MEDIA_TYPE)


class ProblemError(Exception):
    """An error that answers as a problem; subclasses fix the status and kind."""

    status: ClassVar[int] = 500
    kind: ClassVar[str | None] = None

    def __init__(
        self, detail: str, *, headers: Mapping[str, str] | None = None, **extra: Any
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = dict(headers or {})
        self.extra = extra

    def to_response(self) -> HttpResponse:
        """Return this problem as a response."""
        return problem_response(
            status=self.status,
            detail=self.detail,
            kind=self.kind,
            headers=self.headers,
            **self.extra,
        )


class MalformedRequest(ProblemError):
    """400: the request body is not a JSON object."""

    status = 400


class Unauthorized(ProblemError):
    """401: a bearer token is missing or wrong."""

    status = 401

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": WWW_AUTHENTICATE})


class Forbidden(ProblemError):
    """403: the request is understood and refused."""

    status = 403


class NotFound(ProblemError):
    """404: no such resource."""

    status = 404


class Conflict(ProblemError):
    """409: the write clashes with what exists."""

    status = 409
    kind = "conflict"


class LengthRequired(ProblemError):
    """411: a body sent without Content-Length (chunked), which WSGI cannot bound."""

    status = 411


class ContentTooLarge(ProblemError):
    """413: the request body is over the size limit."""

    status = 413


class UnsupportedMediaType(ProblemError):
    """415: the request body is not JSON."""

    status = 415


class InvalidInput(ProblemError):
    """422: the request is well-formed JSON but breaks the validation rules."""

    status = 422
    kind = "invalid-input"

    def __init__(self, detail: str, *, errors: Sequence[FieldError]) -> None:
        super().__init__(detail, errors=errors_member(errors))
