"""The chassis' WSGI middleware around the Flask app: CORS outermost, then admission control,
observation (trace context, spans, ``/metrics``), chaos, then deadlines."""

from __future__ import annotations

from flask import Flask

from cupcake_chassis.admission import admission_wrap
from cupcake_chassis.chaos import chaos_wrap
from cupcake_chassis.clock import SYSTEM_CLOCK, Clock
from cupcake_chassis.cors import cors_wrap
from cupcake_chassis.deadline import DeadlineMiddleware
from cupcake_chassis.observe import observe_wrap
from cupcake_chassis.otel import tracing_configure
from frostings.config import SERVICE_NAME


def middleware_install(app: Flask, *, clock: Clock = SYSTEM_CLOCK) -> None:
    """Wrap ``app.wsgi_app`` so that it honours deadlines, CORS, admission control and, in the
    local lab, chaos, and is observed (trace context, spans, ``/metrics``); its spans are
    exported too when an OTLP endpoint is set.
    Deadlines and chaos's latency run on ``clock``.

    Wrapping ``wsgi_app`` (not the app) keeps ``app`` a Flask object, and the test
    client goes through the wrappers like a real server does.
    """
    with_deadlines = DeadlineMiddleware(
        app.wsgi_app, default_seconds=app.config["REQUEST_DEADLINE"], clock=clock
    )
    # Flask's documented way to add WSGI middleware; to mypy, wsgi_app is a method.
    with_chaos = chaos_wrap(
        with_deadlines,
        service=SERVICE_NAME,
        state_dir=app.config["STATE_DIR"],
        enabled=app.config["CHAOS_ENABLED"],
        token=app.config["CUPCAKE_ADMIN_TOKEN"],
        clock=clock,
    )
    observed = observe_wrap(with_chaos, service=SERVICE_NAME, framework="Flask", clock=clock)
    admitted = admission_wrap(observed, policy=app.config["ADMISSION"], clock=clock)
    app.wsgi_app = cors_wrap(  # type: ignore[method-assign,assignment]
        admitted, allowed_origins=app.config["CORS_ALLOWED_ORIGINS"]
    )
    tracing_configure(SERVICE_NAME)
