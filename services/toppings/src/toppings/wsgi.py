"""The WSGI entry point for granian.

``granian --interface wsgi --factory toppings.wsgi:make_app``
"""

from __future__ import annotations

from cupcake_chassis.deadline import WsgiApp
from cupcake_chassis.heap import startup_heap_freeze
from cupcake_chassis.logs import logging_configure

from . import main
from .middleware import middleware_wrap


def make_app() -> WsgiApp:
    """Build the application from the environment (see ``toppings.settings``), its start-up
    objects then set aside from the cycle collector (``cupcake_chassis.heap``)."""
    logging_configure("toppings")
    router = main({})
    app = middleware_wrap(router, router.registry.settings)
    startup_heap_freeze()
    return app
