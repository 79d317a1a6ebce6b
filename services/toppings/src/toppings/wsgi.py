"""The WSGI entry point for granian.

``granian --interface wsgi --factory toppings.wsgi:make_app``
"""

from __future__ import annotations

from cupcake_chassis.deadline import WsgiApp
from cupcake_chassis.logs import logging_configure

from . import main
from .middleware import middleware_wrap


def make_app() -> WsgiApp:
    """Build the application from the environment (see ``toppings.settings``)."""
    logging_configure("toppings")
    router = main({})
    return middleware_wrap(router, router.registry.settings)
