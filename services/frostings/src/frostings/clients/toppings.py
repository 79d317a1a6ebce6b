"""Client of the toppings service (Pyramid): details of the toppings a frosting names."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from frostings.clients.http import PeerClient


@dataclass(frozen=True)
class Topping:
    """A topping as the toppings service describes it."""

    slug: str
    name: str
    description: str | None = None
    color: str | None = None
    image_url: str | None = None


def _optional_text(item: dict[str, Any], key: str) -> str | None:
    value = item.get(key)
    return value if isinstance(value, str) else None


class ToppingsClient(PeerClient):
    """Asks the toppings service about some of its toppings."""

    service = "toppings"

    def toppings_by_slug(self, slugs: Collection[str]) -> dict[str, Topping]:
        """The toppings among ``slugs`` that exist, by slug (one ``GET ?slug=a,b``)."""
        if not slugs:
            return {}
        items = self._items("/api/v1/toppings", params={"slug": ",".join(sorted(set(slugs)))})
        if not all(isinstance(item.get("name"), str) for item in items):
            raise self._unavailable('its answer has a topping without a "name"')
        return {
            item["slug"]: Topping(
                slug=item["slug"],
                name=item["name"],
                description=_optional_text(item, "description"),
                color=_optional_text(item, "color"),
                image_url=_optional_text(item, "image_url"),
            )
            for item in items
            if item["slug"] in slugs
        }
