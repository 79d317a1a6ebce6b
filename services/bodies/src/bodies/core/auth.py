"""Bearer-token auth for writes, checked against ``settings.CUPCAKE_ADMIN_TOKEN``."""

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer

from bodies.core.problems import Forbidden, Unauthorized
from cupcake_chassis.tokens import bearer_token, token_matches


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
        if not expected or not token_matches(presented=token, expected=expected):
            raise Unauthorized("the admin bearer token is wrong")
        return "admin"
