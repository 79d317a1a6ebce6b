"""Catalogue edits (admin token): add, replace, change and remove frostings."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint
from flask import Response, current_app

from cupcake_chassis.problems import FieldError
from frostings.auth import auth, writes_enabled_check
from frostings.caching import no_content
from frostings.clients import peers
from frostings.errors import InvalidInput
from frostings.jsonbody import json_object_required
from frostings.models import Frosting
from frostings.openapi import write_responses
from frostings.schemas import (
    FrostingCreateIn,
    FrostingOut,
    FrostingPatchIn,
    FrostingReplaceIn,
    frosting_out,
)
from frostings.services import frosting_create, frosting_delete, frosting_replace, frosting_update

bp = APIBlueprint("edits", __name__, tag="Catalogue edits", url_prefix="/api/v1")
bp.before_request(writes_enabled_check)


def _out(frosting: Frosting) -> dict[str, Any]:
    return frosting_out(frosting, public_url=current_app.config["PUBLIC_URL"])


def _path_slug_kept(slug: str, fields: dict[str, Any]) -> dict[str, Any]:
    """The fields without ``slug``, which may only repeat the path's slug (it is immutable)."""
    given = fields.pop("slug", slug)
    if given != slug:
        raise InvalidInput([FieldError("slug", f"is immutable: must be {slug!r} or left out")])
    return fields


@bp.post("/frostings")
@bp.auth_required(auth)
@bp.doc(summary="Add a frosting", responses=write_responses(409, 503))
@json_object_required
@bp.input(FrostingCreateIn, arg_name="fields")
@bp.output(FrostingOut, status_code=201)
def frosting_post(fields: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Add a frosting; its bodies and toppings must exist and obey the rules."""
    frosting = frosting_create(peers=peers(), **fields)
    body = _out(frosting)
    location = f"{current_app.config['PUBLIC_URL']}/api/v1/frostings/{frosting.slug}"
    return body, 201, {"Location": location}


@bp.put("/frostings/<slug>")
@bp.auth_required(auth)
@bp.doc(summary="Replace a frosting", responses=write_responses(404, 503))
@json_object_required
@bp.input(FrostingReplaceIn, arg_name="fields")
@bp.output(FrostingOut)
def frosting_put(slug: str, fields: dict[str, Any]) -> dict[str, Any]:
    """Replace every editable field; omitted optional fields take their defaults."""
    fields = _path_slug_kept(slug, fields)
    return _out(frosting_replace(peers=peers(), slug=slug, **fields))


@bp.patch("/frostings/<slug>")
@bp.auth_required(auth)
@bp.doc(summary="Change a frosting", responses=write_responses(404, 503))
@json_object_required
@bp.input(FrostingPatchIn, arg_name="fields")
@bp.output(FrostingOut)
def frosting_patch(slug: str, fields: dict[str, Any]) -> dict[str, Any]:
    """Change only the fields given."""
    fields = _path_slug_kept(slug, fields)
    return _out(frosting_update(peers=peers(), slug=slug, changes=fields))


@bp.delete("/frostings/<slug>")
@bp.auth_required(auth)
@bp.doc(
    summary="Remove a frosting", responses={403: "Writes are disabled", 404: "No such frosting"}
)
@bp.output({}, status_code=204)
def frosting_remove(slug: str) -> Response:
    """Remove a frosting and its pairings."""
    frosting_delete(slug=slug)
    return no_content(204)
