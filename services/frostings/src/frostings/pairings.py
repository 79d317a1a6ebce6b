"""The toppings that go on a frosting, with their details fetched from the toppings service.

This read degrades instead of failing. When the toppings service cannot answer but its last
good answer is still within its ``stale-if-error`` window, the details come from that answer,
marked stale; when there is none, the frosting's toppings are still listed, each marked
unavailable, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from frostings.catalogue_cache import catalogue_kept
from frostings.clients import Peers, Topping
from frostings.errors import UpstreamUnavailable
from frostings.services import frosting_get

STALE_DETAIL = "toppings is unavailable; these details are from cache"


@dataclass(frozen=True)
class ToppingsAnswer:
    """The toppings of a frosting, and whether their details could all be fetched fresh."""

    items: list[dict[str, Any]]
    status: Literal["ok", "degraded"] = "ok"
    detail: str | None = None
    stale: bool = False


def _available(topping: Topping) -> dict[str, Any]:
    details = {key: value for key, value in vars(topping).items() if value is not None}
    return {**details, "available": True}


def frosting_toppings_wanted(slug: str) -> tuple[str, ...]:
    """The slugs of the toppings frosting ``slug`` takes, read once per catalogue version
    (FrostingNotFound if there is no such frosting)."""
    return catalogue_kept(("toppings-of", slug), lambda: tuple(frosting_get(slug=slug).toppings))


def frosting_toppings_list(*, peers: Peers, slug: str) -> ToppingsAnswer:
    """The frosting's toppings in slug order; a dangling slug is shown unavailable."""
    wanted = frosting_toppings_wanted(slug)
    try:
        found = peers.toppings.toppings_by_slug(wanted, stale_ok=True)
    except UpstreamUnavailable as exc:
        items = [{"slug": s, "available": False} for s in wanted]
        return ToppingsAnswer(items=items, status="degraded", detail=str(exc))
    items = [
        _available(found.toppings[s]) if s in found.toppings else {"slug": s, "available": False}
        for s in wanted
    ]
    if found.stale:
        return ToppingsAnswer(items=items, status="degraded", detail=STALE_DETAIL, stale=True)
    return ToppingsAnswer(items=items)
