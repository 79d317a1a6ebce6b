"""Clients of the peer services, built by the app factory and kept on the app.

Each peer gets one ``ResilientUpstream`` (the chassis' resilient GET) per app, hence per
worker process: its circuit breaker and cache are shared by every request that process serves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app

from cupcake_chassis.upstream import UpstreamPolicy
from cupcake_chassis.wiring import Wiring
from frostings.clients.bodies import BodiesClient
from frostings.clients.toppings import Topping, ToppingsClient, ToppingsFound

__all__ = [
    "BodiesClient",
    "Peers",
    "Topping",
    "ToppingsClient",
    "ToppingsFound",
    "peers",
    "peers_create",
    "upstream_policy",
]

EXTENSION_KEY = "frostings.peers"


@dataclass(frozen=True)
class Peers:
    """The clients of the services this one calls."""

    bodies: BodiesClient
    toppings: ToppingsClient


def upstream_policy(config: Mapping[str, Any]) -> UpstreamPolicy:
    """How patient and persistent to be with a peer: timeout, attempts, circuit breaker."""
    return UpstreamPolicy(
        timeout=config["UPSTREAM_TIMEOUT"],
        attempts=config["UPSTREAM_ATTEMPTS"],
        breaker_failures=config["BREAKER_FAILURES"],
        breaker_reset=config["BREAKER_RESET"],
    )


def peers_create(config: Mapping[str, Any], wiring: Wiring | None = None) -> Peers:
    """Build the peer clients from the app config (URLs, policy), on ``wiring`` (by default
    the network, the system clock and background threads)."""
    policy = upstream_policy(config)
    wiring = wiring or Wiring()
    return Peers(
        bodies=BodiesClient(wiring.upstream("bodies", config["BODIES_URL"], policy=policy)),
        toppings=ToppingsClient(wiring.upstream("toppings", config["TOPPINGS_URL"], policy=policy)),
    )


def peers() -> Peers:
    """The peer clients of the current app."""
    found: Peers = current_app.extensions[EXTENSION_KEY]
    return found
