"""Problem details (RFC 9457): the one shape of every error this service answers."""

import json
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any, ClassVar

from django.http import HttpResponse
from django.http.response import HttpResponseBase

PROBLEM_CONTENT_TYPE = "application/problem+json"
ABOUT_BLANK = "about:blank"
WWW_AUTHENTICATE = 'Bearer realm="cupcake-lab"'


def problem_type(name: str) -> str:
    """Return the URI of one of the lab's own problem kinds, e.g. ``conflict``."""
    return f"urn:cupcake-lab:problem:{name}"


def problem_payload(
    *, status: int, detail: str, type_: str = ABOUT_BLANK, title: str | None = None, **extra: Any
) -> dict[str, Any]:
    """Return the problem document; ``title`` defaults to the status's reason phrase."""
    return {
        "type": type_,
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        **extra,
    }


def problem_response(
    *,
    status: int,
    detail: str,
    type_: str = ABOUT_BLANK,
    title: str | None = None,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> HttpResponse:
    """Return an ``application/problem+json`` response."""
    payload = problem_payload(status=status, detail=detail, type_=type_, title=title, **extra)
    return HttpResponse(
        json.dumps(payload),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
        headers=dict(headers or {}),
    )


def is_problem_response(response: HttpResponseBase) -> bool:
    """Tell whether ``response`` already is a problem document."""
    return str(response.get("Content-Type", "")).startswith(PROBLEM_CONTENT_TYPE)


class ProblemError(Exception):
    """An error that answers as a problem; subclasses fix the status and kind."""

    status: ClassVar[int] = 500
    type_: ClassVar[str] = ABOUT_BLANK
    title: ClassVar[str | None] = None

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
            type_=self.type_,
            title=self.title,
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
    type_ = problem_type("conflict")
    title = "Conflict"


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
    type_ = problem_type("invalid-input")
    title = "Invalid input"

    def __init__(self, detail: str, *, errors: list[dict[str, str]]) -> None:
        super().__init__(detail, errors=errors)
