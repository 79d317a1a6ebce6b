"""Exception handlers of the API: every error leaves as problem+json."""

import logging
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from bodies.core.json_body import body_too_large, json_object_from_request
from bodies.core.problems import (
    WWW_AUTHENTICATE,
    InvalidInput,
    ProblemError,
    problem_response,
)
from cupcake_chassis.problems import FieldError
from cupcake_chassis.storage import storage_failure_noted

logger = logging.getLogger(__name__)


def field_name(loc: Sequence[Any]) -> str:
    """Name the field of a validation error location, e.g. ``("body", "payload", "name")``."""
    # Body locations start with the source and the view's parameter name; others with the source.
    parts = loc[2:] if loc and loc[0] == "body" else loc[1:]
    return ".".join(str(part) for part in parts) or "body"


def field_errors(errors: Sequence[dict[str, Any]]) -> list[FieldError]:
    """Return django-ninja's validation errors as the API's field errors."""
    return [FieldError(field_name(error["loc"]), str(error["msg"])) for error in errors]


def is_missing_body(error: dict[str, Any]) -> bool:
    """Tell whether a validation error says the request had no body at all."""
    loc = tuple(error["loc"])
    return error["type"] == "missing" and len(loc) == 2 and loc[0] == "body"


def on_problem(request: HttpRequest, exc: ProblemError) -> HttpResponse:
    """Answer a problem raised by a view, a service or a request check."""
    return exc.to_response()


def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Answer 422 invalid-input, or the body's own problem when there is no body at all."""
    if any(is_missing_body(error) for error in exc.errors):
        # django-ninja skips the parser for an empty body; run its checks (415/400) now.
        try:
            json_object_from_request(request)
        except ProblemError as problem:
            return problem.to_response()
    errors = field_errors(exc.errors)
    detail = "; ".join(f"{error.field}: {error.message}" for error in errors)
    return InvalidInput(detail, errors=errors).to_response()


def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Answer django-ninja's HTTP errors, unwrapping the problems of the body parser."""
    if isinstance(exc.__cause__, ProblemError):
        return exc.__cause__.to_response()
    headers = {"WWW-Authenticate": WWW_AUTHENTICATE} if exc.status_code == 401 else None
    return problem_response(status=exc.status_code, detail=str(exc), headers=headers)


def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    """Answer 404."""
    return problem_response(status=404, detail=f"nothing at {request.path}")


def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    """Answer 413 when Django refuses the body from its Content-Length."""
    return body_too_large().to_response()


def on_database_error(request: HttpRequest, exc: DatabaseError) -> HttpResponse:
    """503 ``database-unavailable`` with ``Retry-After`` when the database cannot answer
    (down, locked, full, read-only), as ``cupcake_chassis.storage`` says; the database
    refusing the data itself is the service's own bug (500)."""
    failure = storage_failure_noted(exc, method=str(request.method), path=request.path)
    if failure is None:
        return on_unexpected(request, exc)
    return problem_response(**failure.problem(), headers=failure.headers())


def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Log the crash with its traceback; answer 500 with nothing of it."""
    logger.error("unhandled error on %s %s", request.method, request.path, exc_info=exc)
    return problem_response(status=500, detail="the server failed to answer; this is logged")


HANDLERS: list[tuple[type[Exception], Callable[[HttpRequest, Any], HttpResponse]]] = [
    (ProblemError, on_problem),
    (ValidationError, on_validation_error),
    (HttpError, on_http_error),
    (Http404, on_not_found),
    (RequestDataTooBig, on_too_big),
    (DatabaseError, on_database_error),
    (Exception, on_unexpected),
]


def api_errors_install(api: NinjaAPI) -> None:
    """Register the handlers on ``api``; the most specific one for an exception wins."""
    for exc_class, handler in HANDLERS:
        api.add_exception_handler(exc_class, handler)
