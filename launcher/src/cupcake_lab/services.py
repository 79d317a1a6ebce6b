"""The three services the lab runs: how to migrate, serve and probe each."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ServiceSpec:
    """What the launcher needs to know to run one service."""

    name: str
    framework: str
    default_port: int
    colour: str
    migrate: tuple[str, ...]
    wsgi_target: str
    factory: bool = False
    # Threads per granian worker unless CUPCAKE_THREADS says otherwise (settings.py): one
    # for every request the service's admission control lets work (2) or wait (64) at once,
    # and 30 more to refuse the rest at once, so that no request waits in granian's own
    # queue, where no deadline counts it. Only two work at once (ADMISSION_CONCURRENCY):
    # measured on two cores, more only queue for the GIL; with one, a slow answer holds up
    # every other (README, "Threads per worker").
    threads: int = 96


SERVICES: tuple[ServiceSpec, ...] = (
    ServiceSpec(
        name="toppings",
        framework="Pyramid",
        default_port=6500,
        colour="magenta",
        migrate=("toppings-migrate",),
        wsgi_target="toppings.wsgi:make_app",
        factory=True,
    ),
    ServiceSpec(
        name="frostings",
        framework="Flask",
        default_port=5000,
        colour="cyan",
        migrate=("frostings-migrate",),
        wsgi_target="frostings.wsgi:make_app",
        factory=True,
    ),
    ServiceSpec(
        name="bodies",
        framework="Django",
        default_port=8000,
        colour="yellow",
        migrate=("bodies-manage", "migrate", "--noinput"),
        wsgi_target="bodies.config.wsgi:application",
    ),
)

SERVICE_NAMES: tuple[str, ...] = tuple(spec.name for spec in SERVICES)


def service_spec(name: str) -> ServiceSpec:
    """Return the spec of the service called ``name`` (KeyError if there is none)."""
    for spec in SERVICES:
        if spec.name == name:
            return spec
    raise KeyError(name)
