"""Client of the bodies service (Django): which bodies exist."""

from __future__ import annotations

from frostings.clients.http import PeerClient


class BodiesClient(PeerClient):
    """Asks the bodies service about its catalogue."""

    service = "bodies"

    def body_slugs(self) -> frozenset[str]:
        """The slugs of every body, from one fresh ``GET /api/v1/bodies``.

        It serves reference checks before writes, so a stale answer is refused
        (UpstreamUnavailable) like no answer at all.
        """
        return frozenset(item["slug"] for item in self._items("/api/v1/bodies").items)
