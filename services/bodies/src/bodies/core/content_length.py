"""Refuse a request whose Content-Length is not a number, before anything reads its body."""

from collections.abc import Callable

from django.http import HttpRequest
from django.http.response import HttpResponseBase

from bodies.core.problems import problem_response


class ContentLengthMiddleware:
    """Answer 400 to a declared Content-Length that is not a number: Django would fail
    (500) at the first read of ``request.body``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        declared = request.META.get("CONTENT_LENGTH") or ""
        if declared and not declared.isdigit():
            return problem_response(status=400, detail="the Content-Length header is not a number")
        return self.get_response(request)
