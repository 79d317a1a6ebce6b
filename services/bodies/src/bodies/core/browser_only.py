"""The middleware only a browser's pages need, skipped on the API's paths.

Django runs every entry of ``MIDDLEWARE`` on every request. Sessions, sign-in, messages,
CSRF tokens and static files serve the admin and the files its pages (and the lab page)
load; the API, the probes and the lab page itself use none of them: an API call carries
no cookie, and a write is authorised by its bearer token, not by a session. Run on every
request, they cost a catalogue read about a third of its time.

Each class here is Django's (or WhiteNoise's) own middleware, unchanged but for one thing:
on a path of the API (:func:`is_api_path`) it hands the request straight on. So
``MIDDLEWARE`` still lists every layer in its usual order, Django's system checks (the
admin's, ``check --deploy``'s) still find them, and the admin, ``/static/`` and any other
path go through all of them exactly as before. The middleware that every answer needs (the
security headers, the host check and Content-Length of ``CommonMiddleware``, problem+json)
is not wrapped.
"""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthentication
from django.contrib.messages.middleware import MessageMiddleware as DjangoMessages
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessions
from django.http import HttpRequest, HttpResponseForbidden
from django.http.response import HttpResponseBase
from django.middleware.csrf import CsrfViewMiddleware as DjangoCsrf
from whitenoise.middleware import WhiteNoiseMiddleware as WhiteNoise  # type: ignore[import-untyped]

# Paths that never use a session, a CSRF token, a message or a static file.
API_PREFIXES = ("/api/", "/healthz", "/readyz", "/metrics")
LAB_PAGE = "/"


def is_api_path(path: str) -> bool:
    """Whether ``path`` is one of the API's (or the lab page), which skip this middleware."""
    return path.startswith(API_PREFIXES) or path == LAB_PAGE


class BrowserOnly:
    """Mixed in before a middleware class: skip it on the API's paths."""

    get_response: Any  # the next layer, set by the middleware mixed with

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if is_api_path(request.path_info):
            response: HttpResponseBase = self.get_response(request)
            return response
        response = super().__call__(request)  # type: ignore[misc]
        return response


class WhiteNoiseMiddleware(BrowserOnly, WhiteNoise):  # type: ignore[misc]
    """WhiteNoise's static files (``/static/``), for browser paths only."""


class SessionMiddleware(BrowserOnly, DjangoSessions):
    """Django's sessions, for browser paths only."""


class CsrfViewMiddleware(BrowserOnly, DjangoCsrf):
    """Django's CSRF protection, for browser paths only (API writes carry a bearer token)."""

    def process_view(
        self,
        request: HttpRequest,
        callback: Callable[..., Any],
        callback_args: tuple[Any, ...],
        callback_kwargs: dict[str, Any],
    ) -> HttpResponseForbidden | None:
        """Django calls this hook itself, for every request: not on the API's."""
        if is_api_path(request.path_info):
            return None
        return super().process_view(request, callback, callback_args, callback_kwargs)


class AuthenticationMiddleware(BrowserOnly, DjangoAuthentication):
    """Django's signed-in user (``request.user``), for browser paths only."""


class MessageMiddleware(BrowserOnly, DjangoMessages):
    """Django's one-time messages, for browser paths only."""
