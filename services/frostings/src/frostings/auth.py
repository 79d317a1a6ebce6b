"""The admin bearer token that catalogue writes need.

Missing or wrong token: 401 with ``WWW-Authenticate: Bearer``; no token configured: 403
(checked first, before a blueprint's writes, by ``writes_enabled_check``).
The token is compared in constant time and never logged.
"""

from __future__ import annotations

from apiflask import HTTPError, HTTPTokenAuth
from flask import Response, current_app

from cupcake_chassis.tokens import token_matches
from frostings.problems import problem_response

auth = HTTPTokenAuth(
    scheme="Bearer",
    realm="cupcake-lab",
    description="The lab's admin token (CUPCAKE_ADMIN_TOKEN); catalogue writes need it.",
)


def writes_enabled_check() -> None:
    """Refuse the request with 403 while no admin token is configured, whatever it carries."""
    if not current_app.config["CUPCAKE_ADMIN_TOKEN"]:
        raise HTTPError(403, detail="catalogue writes are disabled: no admin token is configured")


def _token_verify(token: str) -> bool | None:
    writes_enabled_check()
    return (
        True
        if token_matches(presented=token, expected=current_app.config["CUPCAKE_ADMIN_TOKEN"])
        else None
    )


auth.verify_token(_token_verify)


@auth.error_processor
def _auth_problem(error: HTTPError) -> Response:
    # Flask-HTTPAuth adds the WWW-Authenticate challenge to this response.
    return problem_response(
        status=error.status_code, detail="this needs a valid admin bearer token"
    )
