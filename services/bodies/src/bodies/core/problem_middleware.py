"""Turns the framework's own bare error answers (405, CSRF 403, ...) into problem+json."""

from collections.abc import Callable

from django.http import HttpRequest
from django.http.response import HttpResponseBase

from bodies.core.problems import is_problem_response, problem_response

# Headers of an error answer that still mean something once its body is replaced.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


def problem_detail_for(request: HttpRequest, status: int) -> str:
    """Return a plain-words detail for a framework error answer."""
    if status == 405:
        return f"{request.method} is not allowed on {request.path}"
    return f"{request.method} {request.path} failed"


class ProblemMiddleware:
    """Replace any error answer that is not JSON with the equivalent problem document.

    JSON error answers are left alone: they are problems already, or (like ``/readyz``'s
    503) documents of their own declared shape.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if response.status_code < 400 or is_problem_response(response):
            return response
        if str(response.get("Content-Type", "")).startswith("application/json"):
            return response
        return problem_response(
            status=response.status_code,
            detail=problem_detail_for(request, response.status_code),
            headers={name: response[name] for name in KEPT_HEADERS if response.has_header(name)},
        )
