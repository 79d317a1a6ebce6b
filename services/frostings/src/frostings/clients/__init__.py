"""Clients of the peer services, built by the app factory and kept on the app.

Each peer gets one ``ResilientUpstream`` (the chassis' resilient GET) per app, hence per
worker process: its circuit breaker and cache are shared by every request that process serves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app

from cupcake_chassis.upstream import ResilientUpstream, UpstreamPolicy
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


def peers_create(config: Mapping[str, Any]) -> Peers:
    """Build the peer clients from the app config (URLs, policy, optional test transport)."""
    policy = upstream_policy(config)
    transport = config["PEER_TRANSPORT"]

    def upstream(service: str, base_url: str) -> ResilientUpstream:
        return ResilientUpstream(service, base_url, policy=policy, transport=transport)

    return Peers(
        bodies=BodiesClient(upstream("bodies", config["BODIES_URL"])),
        toppings=ToppingsClient(upstream("toppings", config["TOPPINGS_URL"])),
    )


def peers() -> Peers:
    """The peer clients of the current app."""
    found: Peers = current_app.extensions[EXTENSION_KEY]
    return found
