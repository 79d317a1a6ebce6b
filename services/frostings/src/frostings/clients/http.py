"""The common part of the peer clients: one GET of a JSON ``{"items": [...]}`` list."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import httpx

from frostings.errors import UpstreamUnavailable


class PeerClient:
    """A small synchronous client of one peer service, on an injectable httpx transport."""

    service: ClassVar[str] = "peer"

    def __init__(
        self, *, base_url: str, timeout: float, transport: httpx.BaseTransport | None = None
    ) -> None:
        self._http = httpx.Client(
            base_url=base_url,
            timeout=timeout,
            transport=transport,
            headers={"Accept": "application/json"},
        )

    def close(self) -> None:
        """Release the client's pooled connections."""
        self._http.close()

    def _unavailable(self, reason: str) -> UpstreamUnavailable:
        return UpstreamUnavailable(self.service, reason)

    def _items(self, path: str, params: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
        """GET ``path`` and return its ``items``; raise UpstreamUnavailable on any failure."""
        try:
            response = self._http.get(path, params=params)
        except httpx.TimeoutException:
            raise self._unavailable("it did not answer in time") from None
        except httpx.HTTPError as exc:
            raise self._unavailable(f"it could not be reached ({type(exc).__name__})") from None
        if response.status_code != 200:
            raise self._unavailable(f"it answered HTTP {response.status_code}")
        try:
            payload = response.json()
        except ValueError:
            raise self._unavailable("it answered something that is not JSON") from None
        items = payload.get("items") if isinstance(payload, dict) else None
        if not isinstance(items, list) or not all(
            isinstance(item, dict) and isinstance(item.get("slug"), str) for item in items
        ):
            raise self._unavailable('its answer has no "items" list of objects with a "slug"')
        return items
