"""Each topping's picture, as an SVG layer of the cupcake."""

# Pyramid ships no type hints, so its view decorators erase the views' types.

from __future__ import annotations

from pyramid.request import Request
from pyramid.response import Response
from pyramid.view import view_config

from ..caching import catalogue_read
from ..openapi import responses_validated
from ..pictures import topping_svg
from ..repository import SqlAlchemyToppingRepository
from ..services import topping_get


@view_config(
    route_name="topping_image",
    request_method="GET",
    decorator=(catalogue_read, responses_validated),
)
def topping_image_view(request: Request) -> Response:
    """``GET /api/v1/toppings/{slug}/image.svg``: the topping drawn in its colour."""
    repo = SqlAlchemyToppingRepository(request.dbsession)
    topping = topping_get(repo=repo, slug=request.matchdict["slug"])
    svg = topping_svg(slug=topping.slug, color=topping.color)
    return Response(body=svg.encode(), content_type="image/svg+xml", charset=None)
