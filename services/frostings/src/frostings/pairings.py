"""The toppings that go on a frosting, with their details fetched from the toppings service.

This read degrades instead of failing: when the toppings service cannot answer, the
frosting's toppings are still listed, each marked unavailable, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from frostings.clients import Peers, Topping
from frostings.errors import UpstreamUnavailable
from frostings.services import frosting_get


@dataclass(frozen=True)
class ToppingsAnswer:
    """The toppings of a frosting, and whether their details could all be fetched."""

    items: list[dict[str, Any]]
    status: Literal["ok", "degraded"] = "ok"
    detail: str | None = None


def _available(topping: Topping) -> dict[str, Any]:
    details = {key: value for key, value in vars(topping).items() if value is not None}
    return {**details, "available": True}


def frosting_toppings_list(*, peers: Peers, slug: str) -> ToppingsAnswer:
    """The frosting's toppings in slug order; a dangling slug is shown unavailable."""
    wanted = frosting_get(slug=slug).toppings
    try:
        found = peers.toppings.toppings_by_slug(wanted)
    except UpstreamUnavailable as exc:
        items = [{"slug": s, "available": False} for s in wanted]
        return ToppingsAnswer(items=items, status="degraded", detail=str(exc))
    items = [
        _available(found[s]) if s in found else {"slug": s, "available": False} for s in wanted
    ]
    return ToppingsAnswer(items=items)
