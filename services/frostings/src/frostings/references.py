"""Checks that the bodies and toppings a write names exist, asking their owners."""

from __future__ import annotations

from collections.abc import Collection

from cupcake_chassis.problems import FieldError
from frostings.clients import Peers
from frostings.errors import UnknownReferences


def references_check(*, peers: Peers, bodies: Collection[str], toppings: Collection[str]) -> None:
    """Raise UnknownReferences for slugs their owner does not know.

    An owner that cannot answer fresh raises UpstreamUnavailable: nothing may be written
    then, not even on the strength of its last good answer kept from before.
    """
    errors: list[FieldError] = []
    if bodies:
        known_bodies = peers.bodies.body_slugs()
        errors.extend(
            FieldError("bodies", f"the bodies service has no body {slug!r}")
            for slug in sorted(set(bodies) - known_bodies)
        )
    if toppings:
        known_toppings = peers.toppings.toppings_by_slug(toppings).toppings
        errors.extend(
            FieldError("toppings", f"the toppings service has no topping {slug!r}")
            for slug in sorted(set(toppings) - known_toppings.keys())
        )
    if errors:
        raise UnknownReferences(errors)
