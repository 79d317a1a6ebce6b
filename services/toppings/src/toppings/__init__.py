"""The toppings service of Cupcake Lab: a Pyramid application."""

from __future__ import annotations

from typing import Any

from pyramid.config import Configurator
from pyramid.router import Router

from .migrate import migration_heads
from .settings import load_settings


def main(global_config: dict[str, Any] | None = None, **settings: Any) -> Router:
    """Return the WSGI application; ``settings`` override those from the environment."""
    with Configurator(settings=load_settings(settings)) as config:
        config.include(".models")
        config.include(".security")
        config.include(".openapi")
        config.include(".routes")
        config.include(".tweens")
        config.registry["migration_heads"] = migration_heads()
        config.scan(".views")
    return config.make_wsgi_app()
