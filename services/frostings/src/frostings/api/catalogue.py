"""Catalogue reads: the frostings list (``?body=``), one frosting and its picture."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint
from flask import Response, current_app, jsonify

from frostings.caching import cacheable
from frostings.catalogue_cache import RenderedJson, catalogue_kept
from frostings.images import SVG_MIMETYPE, frosting_svg
from frostings.openapi import read_responses
from frostings.schemas import FrostingListOut, FrostingOut, FrostingsQuery, frosting_out
from frostings.services import frosting_get, frosting_list

bp = APIBlueprint("catalogue", __name__, tag="Catalogue", url_prefix="/api/v1")


@bp.get("/frostings")
@bp.doc(summary="List the frostings", responses=read_responses())
@cacheable
@bp.input(FrostingsQuery, location="query", arg_name="query")
@bp.output(FrostingListOut)
def frostings_list(query: dict[str, Any]) -> Response:
    """Every frosting sorted by slug; with ``body``, only those that go on that body.

    Served as rendered since the catalogue last changed; rendered anew after a write.
    """
    body = query.get("body")
    return catalogue_kept(("list", body), lambda: frostings_rendered(body=body)).response()


def frostings_rendered(*, body: str | None) -> RenderedJson:
    """The frostings list read from the database now, serialised as ``@bp.output`` would."""
    public_url = current_app.config["PUBLIC_URL"]
    items = [frosting_out(f, public_url=public_url) for f in frosting_list(body=body)]
    return RenderedJson.of(jsonify(FrostingListOut().dump({"items": items})))


@bp.get("/frostings/<slug>")
@bp.doc(summary="Get a frosting", responses=read_responses(404))
@cacheable
@bp.output(FrostingOut)
def frosting_detail(slug: str) -> Response:
    """One frosting with its pairings, kept rendered like the list."""
    return catalogue_kept(("detail", slug), lambda: frosting_rendered(slug=slug)).response()


def frosting_rendered(*, slug: str) -> RenderedJson:
    """Frosting ``slug`` read from the database now (``FrostingNotFound``: 404)."""
    frosting = frosting_out(frosting_get(slug=slug), public_url=current_app.config["PUBLIC_URL"])
    return RenderedJson.of(jsonify(FrostingOut().dump(frosting)))


@bp.get("/frostings/<slug>/image.svg")
@bp.doc(
    summary="Get a frosting's picture",
    responses={
        200: {
            "description": "The frosting layer of the cupcake (viewBox 0 0 200 200)",
            "content": {SVG_MIMETYPE: {"schema": {"type": "string"}}},
        },
        **read_responses(404),
    },
)
@cacheable
def frosting_image(slug: str) -> Response:
    """The frosting's SVG picture, a transparent layer that stacks on the body."""
    frosting = frosting_get(slug=slug)
    svg = frosting_svg(slug=frosting.slug, color=frosting.color)
    return Response(svg, mimetype=SVG_MIMETYPE)
