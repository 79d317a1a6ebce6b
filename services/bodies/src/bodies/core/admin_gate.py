"""The Django admin exists only in a service with an admin token configured.

The admin signs people in with Django's own users, sessions and CSRF tokens, not with
the bearer token: a browser cannot send one. What the token adds is the switch: like
catalogue writes and chaos, the admin is off (403) while no token is configured.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from bodies.core.problems import problem_response

ADMIN_PREFIX = "/admin/"


class AdminGateMiddleware:
    """Answer 403 to every admin path while ``CUPCAKE_ADMIN_TOKEN`` is unset."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path.startswith(ADMIN_PREFIX) and not settings.CUPCAKE_ADMIN_TOKEN:
            return problem_response(
                status=403, detail="the admin is disabled: no admin token is configured"
            )
        return self.get_response(request)
