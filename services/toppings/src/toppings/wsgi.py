"""The WSGI entry point for granian.

``granian --interface wsgi --factory toppings.wsgi:make_app``
"""

from __future__ import annotations

from pyramid.router import Router

from . import main
from .logs import configure_logging


def make_app() -> Router:
    """Build the application from the environment (see ``toppings.settings``)."""
    configure_logging()
    return main({})
