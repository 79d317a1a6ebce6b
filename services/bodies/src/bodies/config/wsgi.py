"""WSGI entry point: ``granian --interface wsgi bodies.config.wsgi:application``.

Django's application, inside the service chassis' middleware: every request gets its
trace context and the front door's deadline (``REQUEST_DEADLINE``), which the assembler's
peer calls share and pass on; in a lab started with chaos enabled, ``/_chaos`` and its
faults sit outside the deadline. ``/metrics`` is answered before all of that; CORS, for
the origins listed in ``CORS_ALLOWED_ORIGINS`` only, outside everything.
"""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

from cupcake_chassis.admission import admission_wrap
from cupcake_chassis.chaos import chaos_wrap
from cupcake_chassis.clock import SYSTEM_CLOCK, Clock
from cupcake_chassis.cors import cors_wrap
from cupcake_chassis.deadline import DeadlineMiddleware, WsgiApp
from cupcake_chassis.heap import startup_heap_freeze
from cupcake_chassis.logs import logging_configure
from cupcake_chassis.observe import observe_wrap
from cupcake_chassis.otel import tracing_configure

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bodies.config.settings")

# Never faulted by bodies' own chaos, so the page and its chaos drawer can always undo it.
CHAOS_EXEMPT = ("/api/v1/lab/chaos", "/static/", "/favicon")
CHAOS_EXEMPT_EXACT = ("/",)


def chassis_wrap(app: WsgiApp, *, clock: Clock = SYSTEM_CLOCK) -> WsgiApp:
    """Wrap ``app`` in the front door's deadline (on ``clock``), in the local lab chaos,
    observation, admission control, and CORS."""
    with_deadline = DeadlineMiddleware(app, default_seconds=settings.REQUEST_DEADLINE, clock=clock)
    with_chaos = chaos_wrap(
        with_deadline,
        service="bodies",
        state_dir=settings.STATE_DIR,
        enabled=settings.CUPCAKE_CHAOS,
        token=settings.CUPCAKE_ADMIN_TOKEN,
        exempt=CHAOS_EXEMPT,
        exempt_exact=CHAOS_EXEMPT_EXACT,
        clock=clock,
    )
    # Admission before the rest, so that a refusal costs no other work; CORS outermost, so
    # that even chaos's, the deadline's and admission's answers are readable cross-origin.
    observed = observe_wrap(with_chaos, service="bodies", framework="Django", clock=clock)
    admitted = admission_wrap(observed, policy=settings.ADMISSION, clock=clock)
    return cors_wrap(admitted, allowed_origins=settings.CORS_ALLOWED_ORIGINS)


def application_create() -> WsgiApp:
    """Django's WSGI application (it reads the settings), wrapped in the chassis; JSON logs,
    and its spans exported when an OTLP endpoint is configured. Its start-up objects are
    then set aside from the cycle collector (``cupcake_chassis.heap``)."""
    tracing_configure("bodies")
    application = get_wsgi_application()
    # The URLconf imports the API and the assembler; importing it now, not in the first
    # request, keeps that request's deadline for the work it was given.
    get_resolver().url_patterns  # noqa: B018
    logging_configure("bodies")
    wrapped = chassis_wrap(application)
    startup_heap_freeze()
    return wrapped


application = application_create()
