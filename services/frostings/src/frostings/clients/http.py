"""The common part of the peer clients: one resilient GET of a JSON ``{"items": [...]}`` list.

Every call goes through the chassis' ``ResilientUpstream`` (deadline, retries, circuit
breaker, HTTP cache, last good answer on failure), which never raises: its ``Outcome`` is
turned here into items, or into ``UpstreamUnavailable`` with the reason in words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from cupcake_chassis.calls import Outcome, failure_in_words
from cupcake_chassis.upstream import ResilientUpstream
from frostings.errors import UpstreamUnavailable


@dataclass(frozen=True)
class Listing:
    """The items a peer listed; ``stale`` when they are its last good answer, kept on error."""

    items: list[dict[str, Any]]
    stale: bool = False


class PeerClient:
    """A small synchronous client of one peer service, over one ``ResilientUpstream``."""

    service: ClassVar[str] = "peer"

    def __init__(self, upstream: ResilientUpstream) -> None:
        self.upstream = upstream

    def close(self) -> None:
        """Release the client's pooled connections."""
        self.upstream.close()

    def _unavailable(self, reason: str) -> UpstreamUnavailable:
        return UpstreamUnavailable(self.service, reason)

    def _items(
        self, path: str, params: Mapping[str, str] | None = None, *, stale_ok: bool = False
    ) -> Listing:
        """GET ``path`` and return its ``items``; raise UpstreamUnavailable on any failure.

        A stale answer (the peer failed, its last good answer is served) is a failure
        too unless ``stale_ok``: what is checked before a write must be fresh.
        """
        # What a write is checked against must come from the owner now, not from a cache.
        outcome = self.upstream.get(path, dict(params) if params else None, revalidate=not stale_ok)
        self._usable_check(outcome, stale_ok=stale_ok)
        payload = outcome.data
        items = payload.get("items") if isinstance(payload, dict) else None
        if not isinstance(items, list) or not all(
            isinstance(item, dict) and isinstance(item.get("slug"), str) for item in items
        ):
            raise self._unavailable('its answer has no "items" list of objects with a "slug"')
        return Listing(items=items, stale=outcome.stale)

    def _usable_check(self, outcome: Outcome, *, stale_ok: bool) -> None:
        if not outcome.available:
            raise self._unavailable(f"it {failure_in_words(outcome.call)}")
        if outcome.stale and not stale_ok:
            reason = f"it {failure_in_words(outcome.call)}"
            raise self._unavailable(f"{reason}, and a cached answer is not good enough here")
        if outcome.status_code != 200:
            raise self._unavailable(f"it answered HTTP {outcome.status_code}")
        if outcome.data is None:
            raise self._unavailable("it answered something that is not JSON")
