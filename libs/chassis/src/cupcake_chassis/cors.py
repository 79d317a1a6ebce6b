"""CORS for the origins a deployment lists, and for no other: one WSGI middleware for all three.

The lab page needs no CORS at all (it is served by bodies, and its pictures are plain
``<img>`` loads), so the default list is empty and the middleware is not even installed.
A deployment that lets another site's scripts call its APIs lists those origins exactly.
``*`` is refused: the services answer bearer tokens, and a wildcard is one edit away from
the classic mistake of ``*`` with credentials. Credentials (cookies) are never allowed.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from cupcake_chassis.deadline import WsgiApp
from cupcake_chassis.problems import StartResponse, problem_response

ALLOWED_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
ALLOWED_HEADERS = (
    "authorization",
    "content-type",
    "idempotency-key",
    "if-none-match",
    "request-deadline-ms",
    "traceparent",
)
EXPOSED_HEADERS = (
    "ETag",
    "Location",
    "Retry-After",
    "Idempotent-Replayed",
    "Server-Timing",
    "WWW-Authenticate",
)
PREFLIGHT_MAX_AGE = 600


def _vary_added(headers: list[tuple[str, str]], names: str) -> list[tuple[str, str]]:
    """``headers`` with ``names`` added to its Vary header (made if missing)."""
    for index, (name, value) in enumerate(headers):
        if name.lower() == "vary":
            if value.strip() == "*":
                return headers
            headers[index] = (name, f"{value}, {names}")
            return headers
    return [*headers, ("Vary", names)]


class CorsMiddleware:
    """Answers preflights and marks answers readable by the allowed origins only."""

    def __init__(self, app: WsgiApp, *, allowed_origins: Collection[str]) -> None:
        self.app = app
        self.allowed_origins = frozenset(origin.lower() for origin in allowed_origins)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Preflight: 204 for an allowed origin, 403 otherwise; any other request passes on."""
        origin = environ.get("HTTP_ORIGIN")
        requested_method = environ.get("HTTP_ACCESS_CONTROL_REQUEST_METHOD")
        if environ.get("REQUEST_METHOD") == "OPTIONS" and origin and requested_method:
            return self._preflight(environ, start_response, origin, requested_method)
        allowed = origin is not None and origin.lower() in self.allowed_origins

        def start_with_cors(status: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
            headers = _vary_added(list(headers), "Origin")
            if allowed and origin is not None:
                headers += [
                    ("Access-Control-Allow-Origin", origin),
                    ("Access-Control-Expose-Headers", ", ".join(EXPOSED_HEADERS)),
                ]
            return start_response(status, headers, *exc)

        return self.app(environ, start_with_cors)

    def _preflight(
        self, environ: dict[str, Any], start_response: StartResponse, origin: str, method: str
    ) -> Iterable[bytes]:
        vary = [("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers")]
        if origin.lower() not in self.allowed_origins:
            return problem_response(
                start_response, 403, f"cross-origin requests from {origin} are not allowed",
                headers=vary,
            )  # fmt: skip
        requested = environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS", "")
        headers = {name.strip().lower() for name in requested.split(",") if name.strip()}
        refused = sorted(headers - set(ALLOWED_HEADERS))
        if method.upper() not in ALLOWED_METHODS or refused:
            what = f"header {refused[0]}" if refused else f"method {method}"
            return problem_response(
                start_response, 403, f"cross-origin requests may not use {what}", headers=vary
            )
        start_response(
            "204 No Content",
            [
                ("Access-Control-Allow-Origin", origin),
                ("Access-Control-Allow-Methods", ", ".join(ALLOWED_METHODS)),
                ("Access-Control-Allow-Headers", ", ".join(ALLOWED_HEADERS)),
                ("Access-Control-Max-Age", str(PREFLIGHT_MAX_AGE)),
                ("Content-Length", "0"),
                *vary,
            ],
        )
        return []


def cors_wrap(app: WsgiApp, *, allowed_origins: Collection[str]) -> WsgiApp:
    """``app`` answering CORS for ``allowed_origins``; ``app`` untouched when there are none."""
    if not allowed_origins:
        return app
    return CorsMiddleware(app, allowed_origins=allowed_origins)
