"""Client of the bodies service (Django): which bodies exist."""

from __future__ import annotations

from frostings.clients.http import PeerClient


class BodiesClient(PeerClient):
    """Asks the bodies service about its catalogue."""

    service = "bodies"

    def body_slugs(self) -> frozenset[str]:
        """The slugs of every body, from one ``GET /api/v1/bodies``."""
        return frozenset(item["slug"] for item in self._items("/api/v1/bodies"))
