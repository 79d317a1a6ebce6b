"""Django's error views (handler400/403/404/500), answering problem+json on any path."""

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse

from bodies.core.json_body import body_too_large
from bodies.core.problems import problem_response


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400 for what Django refuses before a view runs; 413 for an over-sized body."""
    if isinstance(exception, RequestDataTooBig):
        return body_too_large().to_response()
    return problem_response(status=400, detail="the request could not be understood")


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """403 for a request Django refuses (e.g. PermissionDenied)."""
    return problem_response(status=403, detail="this request is not allowed")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404 for a path that names nothing here."""
    return problem_response(status=404, detail=f"nothing at {request.path}")


def server_error(request: HttpRequest) -> HttpResponse:
    """500 with a generic detail; Django has already logged the exception with its traceback."""
    return problem_response(status=500, detail="the server failed to answer; this is logged")
