"""The toppings catalogue over HTTP: list, read, create, replace, update, delete."""

# Pyramid ships no type hints, so its view decorators erase the views' types.

from __future__ import annotations

from typing import Any

from pyramid.request import Request
from pyramid.response import Response
from pyramid.view import view_config

from cupcake_chassis.problems import FieldError

from ..caching import RenderedJson, catalogue_kept, catalogue_read, rendered_json
from ..models import Topping
from ..openapi import responses_validated
from ..problems import InvalidInput
from ..repository import SqlAlchemyToppingRepository
from ..security import EDIT
from ..services import (
    topping_create,
    topping_delete,
    topping_get,
    topping_list,
    topping_replace,
    topping_update,
)
from ..settings import PUBLIC_URL
from ..validation import slugs_clean, topping_fields_clean

# As many slugs as the ``slug`` filter may list (the OpenAPI document says the same).
SLUG_FILTER_MAX = 100


def _repo(request: Request) -> SqlAlchemyToppingRepository:
    return SqlAlchemyToppingRepository(request.dbsession)


def topping_url(request: Request, slug: str, *suffix: str) -> str:
    """Return the public URL of topping ``slug`` (or of ``suffix`` below it)."""
    return "/".join((request.registry.settings[PUBLIC_URL], "api/v1/toppings", slug, *suffix))


def topping_json(request: Request, topping: Topping) -> dict[str, Any]:
    """Return the JSON form of ``topping``."""
    return {
        "slug": topping.slug,
        "name": topping.name,
        "description": topping.description,
        "color": topping.color,
        "image_url": topping_url(request, topping.slug, "image.svg"),
    }


def slug_filter(request: Request) -> list[str] | None:
    """The ``slug`` filter (``?slug=a,b``) as a list of valid slugs, or None when absent."""
    wanted = request.GET.get("slug")
    if wanted is None:
        return None
    values = wanted.split(",")
    if len(values) > SLUG_FILTER_MAX:
        raise InvalidInput([FieldError("slug", f"must list at most {SLUG_FILTER_MAX} items")])
    return slugs_clean(field="slug", values=values)


def toppings_rendered(request: Request, slugs: list[str] | None) -> RenderedJson:
    """The list of toppings (only ``slugs`` if given) as JSON, read from the database now."""
    toppings = topping_list(repo=_repo(request), slugs=slugs)
    return rendered_json(request, {"items": [topping_json(request, t) for t in toppings]})


@view_config(
    route_name="toppings",
    request_method="GET",
    decorator=(catalogue_read, responses_validated),
)
def toppings_list_view(request: Request) -> Response:
    """``GET /api/v1/toppings[?slug=a,b]``: the toppings, sorted by slug.

    Served as rendered since the catalogue last changed; rendered anew after a write.
    """
    slugs = slug_filter(request)
    key = ("list", None if slugs is None else tuple(slugs))
    return catalogue_kept(request, key, lambda: toppings_rendered(request, slugs)).response()


def topping_rendered(request: Request, slug: str) -> RenderedJson:
    """Topping ``slug`` as JSON, read from the database now (``ToppingNotFound``: 404)."""
    topping = topping_get(repo=_repo(request), slug=slug)
    return rendered_json(request, topping_json(request, topping))


@view_config(
    route_name="topping",
    request_method="GET",
    decorator=(catalogue_read, responses_validated),
)
def topping_detail_view(request: Request) -> Response:
    """``GET /api/v1/toppings/{slug}``: one topping, kept rendered like the list."""
    slug = request.matchdict["slug"]
    rendered = catalogue_kept(request, ("detail", slug), lambda: topping_rendered(request, slug))
    return rendered.response()


@view_config(
    route_name="toppings", request_method="POST", renderer="json", openapi=True, permission=EDIT
)
def topping_create_view(request: Request) -> dict[str, Any]:
    """``POST /api/v1/toppings``: add a topping (201 with its Location)."""
    fields = topping_fields_clean(
        data=request.openapi_validated.body, required=("slug", "name", "color")
    )
    topping = topping_create(repo=_repo(request), fields=fields)
    request.response.status_code = 201
    request.response.headers["Location"] = topping_url(request, topping.slug)
    return topping_json(request, topping)


@view_config(
    route_name="topping", request_method="PUT", renderer="json", openapi=True, permission=EDIT
)
def topping_replace_view(request: Request) -> dict[str, Any]:
    """``PUT /api/v1/toppings/{slug}``: replace the editable fields."""
    slug = request.matchdict["slug"]
    fields = topping_fields_clean(
        data=request.openapi_validated.body, required=("name", "color"), path_slug=slug
    )
    return topping_json(request, topping_replace(repo=_repo(request), slug=slug, fields=fields))


@view_config(
    route_name="topping", request_method="PATCH", renderer="json", openapi=True, permission=EDIT
)
def topping_update_view(request: Request) -> dict[str, Any]:
    """``PATCH /api/v1/toppings/{slug}``: change only the fields given."""
    slug = request.matchdict["slug"]
    changes = topping_fields_clean(data=request.openapi_validated.body, required=(), path_slug=slug)
    return topping_json(request, topping_update(repo=_repo(request), slug=slug, changes=changes))


@view_config(route_name="topping", request_method="DELETE", openapi=True, permission=EDIT)
def topping_delete_view(request: Request) -> Response:
    """``DELETE /api/v1/toppings/{slug}``: remove a topping (204)."""
    topping_delete(repo=_repo(request), slug=request.matchdict["slug"])
    response = Response(status=204)
    del response.content_type
    return response
