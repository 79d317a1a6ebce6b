"""Pyramid's minimal JSON view."""

from __future__ import annotations

from typing import Any

from pyramid.config import Configurator


def hello(request: Any) -> dict[str, list[object]]:
    """The smallest useful JSON answer."""
    return {"items": []}


def make_app() -> Any:
    """One route, one view, the json renderer."""
    with Configurator() as config:
        config.add_route("hello", "/hello")
        config.add_view(hello, route_name="hello", renderer="json")
    return config.make_wsgi_app()
