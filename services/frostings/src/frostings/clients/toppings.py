"""Client of the toppings service (Pyramid): details of the toppings a frosting names."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class ToppingsFound:
    """The toppings that exist among those asked for; ``stale`` when from a kept answer."""

    toppings: dict[str, Topping] = field(default_factory=dict)
    stale: bool = False


def _optional_text(item: dict[str, Any], key: str) -> str | None:
    value = item.get(key)
    return value if isinstance(value, str) else None


class ToppingsClient(PeerClient):
    """Asks the toppings service about some of its toppings."""

    service = "toppings"

    def toppings_by_slug(self, slugs: Collection[str], *, stale_ok: bool = False) -> ToppingsFound:
        """The toppings among ``slugs`` that exist, by slug (one ``GET ?slug=a,b``).

        With ``stale_ok`` (reads), the last good answer is accepted when toppings fails,
        and the result says so; without it (checks before a write), only a fresh one.
        """
        if not slugs:
            return ToppingsFound()
        listing = self._items(
            "/api/v1/toppings", {"slug": ",".join(sorted(set(slugs)))}, stale_ok=stale_ok
        )
        if not all(isinstance(item.get("name"), str) for item in listing.items):
            raise self._unavailable('its answer has a topping without a "name"')
        found = {
            item["slug"]: Topping(
                slug=item["slug"],
                name=item["name"],
                description=_optional_text(item, "description"),
                color=_optional_text(item, "color"),
                image_url=_optional_text(item, "image_url"),
            )
            for item in listing.items
            if item["slug"] in slugs
        }
        return ToppingsFound(toppings=found, stale=listing.stale)
