"""Bearer-token auth for writes, checked against ``settings.CUPCAKE_ADMIN_TOKEN``."""

import hmac

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer

from bodies.core.problems import Forbidden, Unauthorized


def bearer_token(authorization: str | None) -> str | None:
    """Return the token of an ``Authorization: Bearer <token>`` value, else None."""
    scheme, _, token = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def token_matches(*, given: str, expected: str) -> bool:
    """Compare tokens in constant time, so the answer's timing says nothing of the token."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


class AdminToken(HttpBearer):
    """The admin bearer token: 403 while none is configured, 401 when missing or wrong."""

    def __call__(self, request: HttpRequest) -> str:
        # Replaces HttpBearer.__call__, which logs an unexpected header value, and with it
        # possibly a token, when DEBUG is on.
        if not settings.CUPCAKE_ADMIN_TOKEN:
            raise Forbidden("writes are disabled: no admin token is configured")
        token = bearer_token(request.headers.get("Authorization"))
        if token is None:
            raise Unauthorized("an admin bearer token is required")
        return self.authenticate(request, token)

    def authenticate(self, request: HttpRequest, token: str) -> str:
        """Return the principal for a matching token; raise 401 otherwise."""
        expected = settings.CUPCAKE_ADMIN_TOKEN
        if not expected or not token_matches(given=token, expected=expected):
            raise Unauthorized("the admin bearer token is wrong")
        return "admin"
