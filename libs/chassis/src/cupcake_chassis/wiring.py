"""What a service's peer clients run on, besides their own code: the network, the clock,
and how background work starts. Built once by the app's own wiring (Django's AppConfig,
Flask's app factory) and handed to every client it makes; tests hand in fakes instead."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import httpx

from cupcake_chassis.clock import SYSTEM_CLOCK, Clock, Spawn, thread_spawn
from cupcake_chassis.upstream import ResilientUpstream, UpstreamPolicy


@dataclass(frozen=True)
class Wiring:
    """The network (None: HTTP), the clock and the spawn of a service's peer clients."""

    transport: httpx.BaseTransport | None = None
    clock: Clock = SYSTEM_CLOCK
    spawn: Spawn = thread_spawn

    def upstream(self, name: str, base_url: str, *, policy: UpstreamPolicy) -> ResilientUpstream:
        """A resilient client of the peer ``name`` at ``base_url``, on this wiring."""
        return ResilientUpstream(
            name,
            base_url,
            policy=policy,
            transport=self.transport,
            clock=self.clock,
            spawn=self.spawn,
        )

    def client(self, *, timeout: float, headers: Mapping[str, str]) -> httpx.Client:
        """A plain HTTP client on this wiring's network, for calls that need no resilience
        (e.g. the lab's chaos controls)."""
        return httpx.Client(transport=self.transport, timeout=timeout, headers=dict(headers))
