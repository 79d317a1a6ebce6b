"""The lab's chaos, for the page's chaos drawer: each service's fault settings, read and set.

Bodies keeps its own settings in its chaos file (the one its chaos middleware reads); the
settings of frostings and toppings are read and set through their ``/_chaos`` with the
admin token, so the browser never holds it. Only in a lab started with chaos enabled.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import httpx
from django.conf import settings

from bodies.assembler.apps import app_upstreams
from bodies.assembler.pool import task_submit
from bodies.assembler.problems import UpstreamUnavailable
from bodies.core.problems import NotFound
from cupcake_chassis.chaos import FIELDS, ChaosFile, ChaosSettings, chaos_file_for

SERVICES = ("bodies", "frostings", "toppings")
# The drawer must answer at once, even about a stalled service.
FORWARD_TIMEOUT = 1.0


def chaos_enabled_check() -> None:
    """Raise NotFound (404) unless this lab runs with chaos enabled."""
    if not settings.CUPCAKE_CHAOS:
        raise NotFound("chaos is off in this lab (start it with `cupcake-lab up --chaos`)")


def service_check(service: str) -> None:
    """Raise NotFound (404) for a name that is none of the lab's services."""
    if service not in SERVICES:
        raise NotFound(f"no service {service!r}; the lab's services are {', '.join(SERVICES)}")


def settings_field(message: str) -> str:
    """The field a ChaosSettings validation message is about (``body`` for the whole)."""
    return next((name for name in FIELDS if message.startswith(name)), "body")


def own_chaos_file() -> ChaosFile:
    """Bodies' own chaos file, its expiry told by the clock the peer clients run on."""
    return chaos_file_for("bodies", settings.STATE_DIR, clock=app_upstreams().wiring.clock)


def peer_url(service: str) -> str:
    """The base URL of a peer service."""
    upstreams = app_upstreams()
    return (upstreams.frostings if service == "frostings" else upstreams.toppings).base_url


def peer_client() -> httpx.Client:
    """An HTTP client for a peer's ``/_chaos``, on the peer clients' network: short time
    limit, the admin token."""
    return app_upstreams().wiring.client(
        timeout=FORWARD_TIMEOUT,
        headers={"Authorization": f"Bearer {settings.CUPCAKE_ADMIN_TOKEN}"},
    )


def peer_chaos_send(service: str, *, new: ChaosSettings | None = None) -> ChaosSettings:
    """GET (or, given ``new``, PUT) a peer's chaos settings; UpstreamUnavailable if it fails."""
    if settings.CUPCAKE_ADMIN_TOKEN is None:
        raise UpstreamUnavailable(f"{service} cannot be asked: no admin token is configured")
    url = f"{peer_url(service)}/_chaos"
    try:
        with peer_client() as client:
            if new is None:
                response = client.get(url)
            else:
                response = client.put(url, json=dataclasses.asdict(new))
    except httpx.HTTPError as exc:
        raise UpstreamUnavailable(
            f"{service} could not be reached ({type(exc).__name__})"
        ) from None
    if response.status_code != 200:
        raise UpstreamUnavailable(f"{service} answered HTTP {response.status_code} on /_chaos")
    try:
        return ChaosSettings.from_json(response.json())
    except ValueError:
        raise UpstreamUnavailable(f"{service} answered chaos settings it should not") from None


def peer_chaos_or_none(service: str) -> ChaosSettings | None:
    """A peer's chaos settings, or None when it cannot be asked."""
    try:
        return peer_chaos_send(service)
    except UpstreamUnavailable:
        return None


@dataclass(frozen=True)
class LabChaos:
    """Every service's chaos settings; None for a peer that could not be asked."""

    bodies: ChaosSettings
    frostings: ChaosSettings | None
    toppings: ChaosSettings | None


def lab_chaos_read() -> LabChaos:
    """Every service's chaos settings, the peers asked side by side (a stalled one costs
    the time limit once)."""
    frostings = task_submit(peer_chaos_or_none, "frostings")
    toppings = task_submit(peer_chaos_or_none, "toppings")
    own = own_chaos_file().read()
    return LabChaos(bodies=own, frostings=frostings.result(), toppings=toppings.result())


def service_chaos_set(*, service: str, new: ChaosSettings) -> ChaosSettings:
    """Apply ``new`` to ``service``: bodies' own file, or the peer's ``/_chaos`` (its expiry
    forwarded as given, so that the peer ends its chaos by itself); the settings in force."""
    if service == "bodies":
        return own_chaos_file().write(new)
    return peer_chaos_send(service, new=new)
