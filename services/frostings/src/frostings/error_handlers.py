"""Every failure becomes a problem+json answer: HTTP errors, the service's own errors,
an unavailable database and unexpected exceptions (logged, never shown to the client).
"""

from __future__ import annotations

from collections.abc import Mapping

from apiflask import APIFlask, HTTPError
from flask import Response, current_app, request
from sqlalchemy.exc import DBAPIError
from werkzeug.datastructures import Headers

from cupcake_chassis.problems import errors_member
from cupcake_chassis.storage import storage_failure_noted
from frostings.errors import (
    FrostingNotFound,
    FrostingsError,
    InvalidInput,
    RulesBroken,
    SlugTaken,
    UnknownReferences,
    UpstreamUnavailable,
)
from frostings.problems import field_errors_from_messages, problem_response


def _default_detail(status: int) -> str:
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    details = {
        400: "the request is malformed",
        404: f"nothing here: {request.path}",
        405: f"{request.method} is not allowed on {request.path}",
        413: f"the request body must be at most {limit} bytes",
        415: "the request body must be application/json",
        500: "the server could not answer this request; the error was logged",
    }
    return details.get(status, "the request could not be answered")


def _retry_after() -> dict[str, str]:
    return {"Retry-After": str(current_app.config["RETRY_AFTER_SECONDS"])}


def http_error_problem(error: HTTPError) -> Response:
    """Werkzeug's HTTP errors, APIFlask's validation errors and raised HTTPErrors."""
    if error.status_code == 422 and isinstance(error.detail, Mapping) and error.detail:
        return invalid_input_problem(InvalidInput(field_errors_from_messages(error.detail)))
    detail = error.detail if isinstance(error.detail, str) and error.detail else None
    return problem_response(
        status=error.status_code,
        detail=detail or _default_detail(error.status_code),
        headers=dict(Headers(error.headers)),
        **error.extra_data,
    )


def invalid_input_problem(exc: InvalidInput) -> Response:
    """422 invalid-input with the ``errors`` list."""
    return problem_response(
        status=422,
        kind="invalid-input",
        detail=f"the input is not valid: {exc}",
        errors=errors_member(exc.errors),
    )


def service_error_problem(exc: FrostingsError) -> Response:
    """The service's own errors (``errors.py``)."""
    detail = str(exc)
    if isinstance(exc, InvalidInput):
        return invalid_input_problem(exc)
    if isinstance(exc, FrostingNotFound):
        return problem_response(status=404, detail=detail)
    if isinstance(exc, SlugTaken):
        return problem_response(status=409, kind="conflict", detail=detail)
    if isinstance(exc, RulesBroken):
        rule = exc.violations[0].rule
        return problem_response(status=422, kind="rule-violation", detail=detail, rule=rule)
    if isinstance(exc, UnknownReferences):
        errors = errors_member(exc.errors)
        return problem_response(status=422, kind="unknown-reference", detail=detail, errors=errors)
    if isinstance(exc, UpstreamUnavailable):
        current_app.logger.warning("upstream unavailable: %s", detail)
        return problem_response(
            status=503,
            kind="upstream-unavailable",
            detail=detail,
            service=exc.service,
            headers=_retry_after(),
        )
    return unexpected_problem(exc)


def database_problem(exc: DBAPIError) -> Response:
    """503 ``database-unavailable`` with ``Retry-After`` when the database cannot be used
    (unreachable, locked too long, full, read-only, not migrated), as
    ``cupcake_chassis.storage`` says.

    Any driver's error counts (SQLite's missing table is an ``OperationalError``,
    PostgreSQL's a ``ProgrammingError``), except the database refusing the data itself:
    input is checked before it gets there, so those are the service's own bugs (500).
    """
    failure = storage_failure_noted(exc, method=request.method, path=request.path)
    if failure is None:
        return unexpected_problem(exc)
    return problem_response(**failure.problem(), headers=failure.headers())


def unexpected_problem(exc: Exception) -> Response:
    """500 with a generic detail; the exception and its traceback go to the log only."""
    current_app.logger.error(
        "unexpected error on %s %s", request.method, request.path, exc_info=exc
    )
    return problem_response(status=500, detail=_default_detail(500))


def error_handlers_init(app: APIFlask) -> None:
    """Register the problem+json answers on ``app``."""
    app.error_processor(http_error_problem)
    app.register_error_handler(FrostingsError, service_error_problem)
    app.register_error_handler(DBAPIError, database_problem)
    app.register_error_handler(Exception, unexpected_problem)
