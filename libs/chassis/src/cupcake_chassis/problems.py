"""problem+json answers for the chassis' own WSGI middleware."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

StartResponse = Callable[..., Any]
PROBLEM_TYPE_PREFIX = "urn:cupcake-lab:problem:"


def headers_added(start_response: StartResponse, *added: tuple[str, str]) -> StartResponse:
    """``start_response`` that also sends the ``added`` headers with every answer."""

    def start_with_added(status: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
        return start_response(status, [*headers, *added], *exc)

    return start_with_added


def problem_response(
    start_response: StartResponse,
    status: int,
    detail: str,
    *,
    kind: str | None = None,
    headers: Iterable[tuple[str, str]] = (),
) -> list[bytes]:
    """Start an RFC 9457 answer and return its body (a WSGI iterable)."""
    phrase = HTTPStatus(status).phrase
    body = json.dumps(
        {
            "type": f"{PROBLEM_TYPE_PREFIX}{kind}" if kind else "about:blank",
            "title": phrase,
            "status": status,
            "detail": detail,
        }
    ).encode()
    start_response(
        f"{status} {phrase}",
        [
            ("Content-Type", "application/problem+json"),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
            *headers,
        ],
    )
    return [body]
