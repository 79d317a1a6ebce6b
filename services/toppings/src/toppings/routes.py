"""URL patterns of the service (the OpenAPI document describes each)."""

from pyramid.config import Configurator


def includeme(config: Configurator) -> None:
    """Add the service's routes."""
    config.add_route("healthz", "/healthz")
    config.add_route("readyz", "/readyz")
    config.add_route("openapi_json", "/api/v1/openapi.json")
    config.add_route("toppings", "/api/v1/toppings")
    config.add_route("topping", "/api/v1/toppings/{slug}")
    config.add_route("topping_image", "/api/v1/toppings/{slug}/image.svg")
