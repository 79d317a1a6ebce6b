"""The chassis' WSGI middleware around the Flask app: CORS, then chaos, then deadlines."""

from __future__ import annotations

from flask import Flask

from cupcake_chassis.chaos import chaos_wrap
from cupcake_chassis.cors import cors_wrap
from cupcake_chassis.deadline import DeadlineMiddleware
from frostings.config import SERVICE_NAME


def middleware_install(app: Flask) -> None:
    """Wrap ``app.wsgi_app`` so that it honours deadlines, CORS and, in the local lab, chaos.

    Wrapping ``wsgi_app`` (not the app) keeps ``app`` a Flask object, and the test
    client goes through the wrappers like a real server does.
    """
    with_deadlines = DeadlineMiddleware(
        app.wsgi_app, default_seconds=app.config["REQUEST_DEADLINE"]
    )
    # Flask's documented way to add WSGI middleware; to mypy, wsgi_app is a method.
    with_chaos = chaos_wrap(
        with_deadlines,
        service=SERVICE_NAME,
        state_dir=app.config["STATE_DIR"],
        enabled=app.config["CHAOS_ENABLED"],
        token=app.config["CUPCAKE_ADMIN_TOKEN"],
    )
    app.wsgi_app = cors_wrap(  # type: ignore[method-assign,assignment]
        with_chaos, allowed_origins=app.config["CORS_ALLOWED_ORIGINS"]
    )
