"""Probing a service's /healthz and /readyz."""

from __future__ import annotations

from dataclasses import dataclass

import httpx


@dataclass(frozen=True)
class Probe:
    """What one look at a service found."""

    alive: bool
    ready: bool
    detail: str


def probe(client: httpx.Client, base_url: str) -> Probe:
    """Ask ``base_url`` whether it is alive and ready; never raises for a service that is down."""
    try:
        health = client.get(f"{base_url}/healthz")
    except httpx.HTTPError as exc:
        return Probe(alive=False, ready=False, detail=type(exc).__name__)
    if health.status_code != 200:
        return Probe(alive=False, ready=False, detail=f"healthz {health.status_code}")
    try:
        ready = client.get(f"{base_url}/readyz")
    except httpx.HTTPError as exc:
        return Probe(alive=True, ready=False, detail=f"readyz {type(exc).__name__}")
    if ready.status_code == 200:
        return Probe(alive=True, ready=True, detail="ready")
    return Probe(alive=True, ready=False, detail=f"readyz {ready.status_code}: {ready.text[:200]}")
