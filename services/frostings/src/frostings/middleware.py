"""The chassis' WSGI middleware around the Flask app: CORS outermost, then admission control,
observation, chaos, then deadlines; OpenTelemetry's own around it all when tracing is on."""

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
    local lab, chaos, and is observed (trace context, ``/metrics``); instrument it when
    tracing is on.
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
    admitted = admission_wrap(observe_wrap(with_chaos), policy=app.config["ADMISSION"], clock=clock)
    app.wsgi_app = cors_wrap(  # type: ignore[method-assign,assignment]
        admitted, allowed_origins=app.config["CORS_ALLOWED_ORIGINS"]
    )
    if tracing_configure(SERVICE_NAME):
        from opentelemetry.instrumentation.flask import FlaskInstrumentor

        FlaskInstrumentor().instrument_app(app)  # type: ignore[no-untyped-call]
