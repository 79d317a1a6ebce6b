"""The admin bearer token: read from ``Authorization``, compared in constant time."""

from __future__ import annotations

import hmac


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` value, else None."""
    scheme, _, token = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def token_matches(*, presented: str | None, expected: str | None) -> bool:
    """Whether ``presented`` is the configured token, compared in constant time so that the
    answer's timing says nothing of the token; never when either is missing or empty."""
    if not presented or not expected:
        return False
    return hmac.compare_digest(presented.encode("utf-8"), expected.encode("utf-8"))
