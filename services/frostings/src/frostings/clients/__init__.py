"""HTTP clients of the peer services, built by the app factory and kept on the app."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app

from frostings.clients.bodies import BodiesClient
from frostings.clients.toppings import Topping, ToppingsClient

__all__ = ["BodiesClient", "Peers", "Topping", "ToppingsClient", "peers", "peers_create"]

EXTENSION_KEY = "frostings.peers"


@dataclass(frozen=True)
class Peers:
    """The clients of the services this one calls."""

    bodies: BodiesClient
    toppings: ToppingsClient


def peers_create(config: Mapping[str, Any]) -> Peers:
    """Build the peer clients from the app config (URLs, timeout, optional test transport)."""
    transport = config["PEER_TRANSPORT"]
    timeout = config["UPSTREAM_TIMEOUT"]
    return Peers(
        bodies=BodiesClient(base_url=config["BODIES_URL"], timeout=timeout, transport=transport),
        toppings=ToppingsClient(
            base_url=config["TOPPINGS_URL"], timeout=timeout, transport=transport
        ),
    )


def peers() -> Peers:
    """The peer clients of the current app."""
    found: Peers = current_app.extensions[EXTENSION_KEY]
    return found
