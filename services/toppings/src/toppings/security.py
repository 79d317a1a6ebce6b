"""Who may write: the holder of the admin bearer token, as a Pyramid security policy."""

from __future__ import annotations

from typing import Any

from pyramid.config import Configurator
from pyramid.request import Request
from pyramid.security import Allowed, Denied

from cupcake_chassis.tokens import bearer_token, token_matches

from .settings import ADMIN_TOKEN

ADMIN = "admin"
EDIT = "edit"


class BearerTokenSecurityPolicy:
    """Identify the admin by the bearer token; only the admin may ``edit``."""

    def __init__(self, *, admin_token: str | None) -> None:
        self.admin_token = admin_token

    def identity(self, request: Request) -> str | None:
        """Return ``"admin"`` when the request carries the admin token."""
        presented = bearer_token(request.headers.get("Authorization"))
        return ADMIN if token_matches(presented=presented, expected=self.admin_token) else None

    def authenticated_userid(self, request: Request) -> str | None:
        """Return the identity; there is one user, the admin."""
        return self.identity(request)

    def permits(self, request: Request, context: Any, permission: str) -> Allowed | Denied:
        """Allow ``edit`` to the admin only."""
        if permission == EDIT and self.identity(request) == ADMIN:
            return Allowed("bearer token matches")
        return Denied("the admin bearer token is required")

    def remember(self, request: Request, userid: str, **kw: Any) -> list[tuple[str, str]]:
        """Tokens are sent on every request: nothing to remember."""
        return []

    def forget(self, request: Request, **kw: Any) -> list[tuple[str, str]]:
        """Tokens are sent on every request: nothing to forget."""
        return []


def includeme(config: Configurator) -> None:
    """Install the bearer token policy with the configured admin token."""
    config.set_security_policy(
        BearerTokenSecurityPolicy(admin_token=config.get_settings()[ADMIN_TOKEN])
    )
