"""Tweens that shape each request before routing: URL check, HEAD, body size limit."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from pyramid.config import Configurator
from pyramid.registry import Registry
from pyramid.request import Request
from pyramid.response import Response
from pyramid.tweens import EXCVIEW, INGRESS

from cupcake_chassis.json_body import BodyRefused, body_read_bounded

from .problems import problem_response
from .settings import MAX_BODY

Handler = Callable[[Request], Response]


def url_is_utf8(*, path_info: str, query_string: str) -> bool:
    """Tell whether the path and the percent-decoded query are UTF-8, as WebOb needs."""
    try:
        # WSGI hands the path over as latin-1 characters, one per byte.
        path_info.encode("latin-1").decode("utf-8")
        unquote_to_bytes(query_string).decode("utf-8")
    except UnicodeError:
        return False
    return True


def url_check_tween_factory(handler: Handler, registry: Registry) -> Handler:
    """Tween: 400 for a URL WebOb cannot decode, before anything tries to."""

    def url_check_tween(request: Request) -> Response:
        environ = request.environ
        if not url_is_utf8(
            path_info=environ.get("PATH_INFO", ""), query_string=environ.get("QUERY_STRING", "")
        ):
            return problem_response(status=400, detail="the URL is not valid UTF-8")
        return handler(request)

    return url_check_tween


def head_as_get_tween_factory(handler: Handler, registry: Registry) -> Handler:
    """Tween: route, validate and answer a HEAD request as a GET.

    The OpenAPI document describes GET only. The method is put back before the
    answer leaves, and WebOb then sends the GET's headers with an empty body.
    """

    def head_as_get_tween(request: Request) -> Response:
        if request.method != "HEAD":
            return handler(request)
        request.method = "GET"
        try:
            return handler(request)
        finally:
            request.method = "HEAD"

    return head_as_get_tween


def body_limit_tween_factory(handler: Handler, registry: Registry) -> Handler:
    """Tween: buffer the body within the size limit, so later readers see only that."""
    limit = int(registry.settings[MAX_BODY])

    def body_limit_tween(request: Request) -> Response:
        try:
            body = body_read_bounded(environ=request.environ, limit=limit)
        except BodyRefused as refused:
            return problem_response(status=refused.status, detail=refused.reason)
        if body is not None:
            request.body = body
        return handler(request)

    return body_limit_tween


def includeme(config: Configurator) -> None:
    """Add the tweens, outermost first: log, URL check, HEAD; body limit under EXCVIEW."""
    log = "toppings.logs.request_log_tween_factory"
    url_check = "toppings.tweens.url_check_tween_factory"
    config.add_tween(log, under=INGRESS)
    config.add_tween(url_check, under=log)
    config.add_tween("toppings.tweens.head_as_get_tween_factory", under=url_check)
    # Under EXCVIEW, so an error the handler raises is still rendered as problem+json.
    config.add_tween("toppings.tweens.body_limit_tween_factory", under=EXCVIEW)
