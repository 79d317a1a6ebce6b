"""The toppings service of Cupcake Lab: a Pyramid application."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

# Pyramid 2.1 imports pkg_resources, which warns on import: nothing this service can act
# on, and it would otherwise open every start of the lab with a deprecation notice.
warnings.filterwarnings("ignore", "pkg_resources is deprecated as an API", UserWarning)

if TYPE_CHECKING:
    from pyramid.router import Router


def main(global_config: dict[str, Any] | None = None, **settings: Any) -> Router:
    """Return the WSGI application; ``settings`` override those from the environment."""
    # Imported here, not by the package: toppings-migrate, when it finds nothing to do,
    # imports no framework.
    from pyramid.config import Configurator

    from cupcake_chassis.otel import tracing_configure

    from .migrate import migration_heads
    from .request import request_methods_bake
    from .settings import load_settings

    with Configurator(settings=load_settings(settings)) as config:
        config.include(".models")
        config.include(".caching")
        config.include(".security")
        config.include(".openapi")
        config.include(".routes")
        config.include(".tweens")
        config.registry["migration_heads"] = migration_heads()
        config.scan(".views")
        tracing_configure("toppings")
        request_methods_bake(config)
    return config.make_wsgi_app()
