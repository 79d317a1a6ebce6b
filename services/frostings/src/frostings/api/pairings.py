"""A frosting's toppings with their details, fetched from the toppings service."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint

from frostings.caching import cacheable
from frostings.clients import peers
from frostings.openapi import read_responses
from frostings.pairings import frosting_toppings_list
from frostings.schemas import FrostingToppingsOut

bp = APIBlueprint("pairings", __name__, tag="Pairings", url_prefix="/api/v1")


DEGRADED_CACHE_CONTROL = "max-age=1"


@bp.get("/frostings/<slug>/toppings")
@bp.doc(summary="List a frosting's toppings", responses=read_responses(404))
@cacheable
@bp.output(FrostingToppingsOut)
def frosting_toppings(slug: str) -> Any:
    """The toppings that go on the frosting, with details from the toppings service.

    When the toppings service is down, slow or failing the answer is still 200, with
    ``status: degraded`` and a ``detail``: the details of its last good answer, marked
    ``stale``, while that answer may still be served; else every topping unavailable.
    A degraded answer may be kept for one second only: callers under load then ask once
    a second rather than on every request, and still see a recovery within seconds.
    """
    answer = frosting_toppings_list(peers=peers(), slug=slug)
    if answer.status == "ok":
        return {"items": answer.items, "status": "ok"}
    body: dict[str, Any] = {"items": answer.items, "status": answer.status, "detail": answer.detail}
    if answer.stale:
        body["stale"] = True
    return body, 200, {"Cache-Control": DEGRADED_CACHE_CONTROL}
