"""Exception views: every error leaves as ``application/problem+json``, never a traceback."""

# Pyramid ships no type hints, so its view decorators erase the views' types.

from __future__ import annotations

import logging

from pyramid.httpexceptions import HTTPException
from pyramid.request import Request
from pyramid.response import Response
from pyramid.view import exception_view_config, forbidden_view_config, notfound_view_config
from pyramid_openapi3.exceptions import RequestValidationError, ResponseValidationError
from sqlalchemy.exc import DBAPIError

from cupcake_chassis.storage import storage_failure_noted

from ..logs import request_path
from ..openapi_errors import describe, request_errors_response
from ..problems import BadRequest, InvalidInput, invalid_input_response, problem_response
from ..services import SlugTaken, ToppingNotFound
from ..settings import ADMIN_TOKEN

log = logging.getLogger(__name__)

# Headers of an HTTP exception that belong in its problem answer too.
_KEPT_HEADERS = ("Allow", "WWW-Authenticate", "Retry-After")


def allowed_methods(request: Request) -> list[str]:
    """Return the methods some view of the matched route answers, from Pyramid's introspector."""
    introspector = request.registry.introspector
    route = introspector.get("routes", request.matched_route.name)
    methods: set[str] = set()
    for related in introspector.related(route) if route is not None else []:
        if related.category_name == "views" and related["request_methods"]:
            declared = related["request_methods"]
            methods.update([declared] if isinstance(declared, str) else declared)
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


@notfound_view_config()
def not_found_view(exc: HTTPException, request: Request) -> Response:
    """404 for unknown paths; 405 with ``Allow`` for a known path and the wrong method."""
    if request.matched_route is not None:
        allowed = allowed_methods(request)
        if allowed and request.method not in allowed:
            return problem_response(
                status=405,
                detail=f"{request.method} is not allowed here; use {', '.join(allowed)}",
                headers={"Allow": ", ".join(allowed)},
            )
    return problem_response(status=404, detail=f"nothing at {request_path(request)}")


@forbidden_view_config()
def forbidden_view(exc: HTTPException, request: Request) -> Response:
    """401 without the admin token (or with a wrong one); 403 when none is configured."""
    if not request.registry.settings[ADMIN_TOKEN]:
        return problem_response(status=403, detail="writes are disabled: no admin token is set")
    challenge = 'Bearer realm="toppings"'
    if request.headers.get("Authorization"):
        challenge += ', error="invalid_token"'
    return problem_response(
        status=401,
        detail="this needs the admin bearer token",
        headers={"WWW-Authenticate": challenge},
    )


@exception_view_config(RequestValidationError)
def request_validation_view(exc: RequestValidationError, request: Request) -> Response:
    """400, 415 or 422 for a request the OpenAPI document does not allow."""
    log.info("request refused by the OpenAPI document: %s", describe(exc.errors))
    return request_errors_response(exc.errors)


@exception_view_config(ResponseValidationError)
def response_validation_view(exc: ResponseValidationError, request: Request) -> Response:
    """500: the service answered outside its own OpenAPI document (a bug)."""
    log.error("response does not match the OpenAPI document: %s", exc)
    return problem_response(status=500, detail="the server failed to answer correctly")


@exception_view_config(InvalidInput)
def invalid_input_view(exc: InvalidInput, request: Request) -> Response:
    """422 ``invalid-input`` listing each refused field."""
    return invalid_input_response(exc.errors)


@exception_view_config(BadRequest)
def bad_request_view(exc: BadRequest, request: Request) -> Response:
    """400 for input that cannot be understood."""
    return problem_response(status=400, detail=str(exc))


@exception_view_config(ToppingNotFound)
def topping_not_found_view(exc: ToppingNotFound, request: Request) -> Response:
    """404 for a slug no topping has."""
    return problem_response(status=404, detail=f"no topping {exc.args[0]!r}")


@exception_view_config(SlugTaken)
def slug_taken_view(exc: SlugTaken, request: Request) -> Response:
    """409 ``conflict`` when the slug of a new topping is in use."""
    return problem_response(
        status=409,
        kind="conflict",
        detail=f"a topping with slug {exc.args[0]!r} exists already",
    )


@exception_view_config(DBAPIError)
def database_unavailable_view(exc: DBAPIError, request: Request) -> Response:
    """503 ``database-unavailable`` with ``Retry-After`` when the database cannot answer
    (down, locked, full, read-only, not migrated), as ``cupcake_chassis.storage`` says.

    Any driver's error counts (SQLite's missing table is an ``OperationalError``,
    PostgreSQL's a ``ProgrammingError``), except the database refusing the data itself:
    input is checked before it gets there, so those are the service's own bugs (500).
    """
    failure = storage_failure_noted(exc, method=request.method, path=request_path(request))
    if failure is None:
        return unexpected_error_view(exc, request)
    return problem_response(**failure.problem(), headers=failure.headers())


@exception_view_config(HTTPException)
def http_exception_view(exc: HTTPException, request: Request) -> Response:
    """Any other HTTP error Pyramid raises, in problem form."""
    if exc.code < 400:
        return exc
    headers = {name: exc.headers[name] for name in _KEPT_HEADERS if name in exc.headers}
    return problem_response(status=exc.code, detail=exc.detail or exc.explanation, headers=headers)


@exception_view_config(Exception)
def unexpected_error_view(exc: Exception, request: Request) -> Response:
    """500 with a generic detail; the traceback goes to the log, not to the client."""
    log.error("unexpected error on %s %s", request.method, request_path(request), exc_info=exc)
    return problem_response(status=500, detail="an unexpected error happened; it has been logged")
