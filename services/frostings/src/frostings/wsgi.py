"""The WSGI entry point for granian.

``granian --interface wsgi --factory frostings.wsgi:make_app``
"""

from __future__ import annotations

from apiflask import APIFlask

from cupcake_chassis.heap import startup_heap_freeze

from .app import create_app


def make_app() -> APIFlask:
    """Build the application from the environment (see ``frostings.config``), its start-up
    objects then set aside from the cycle collector (``cupcake_chassis.heap``)."""
    app = create_app()
    startup_heap_freeze()
    return app
