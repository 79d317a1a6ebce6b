"""What the deployment must agree with: the launcher's services and the call graph of
docs/architecture.md."""

from __future__ import annotations

from cupcake_lab.services import SERVICES, ServiceSpec

SERVICE_NAMES = tuple(spec.name for spec in SERVICES)

# The call graph of docs/architecture.md, service to service:
#   browser -> bodies/assembler -> frostings -> toppings, and bodies -> toppings;
#   frostings checks a pairing's bodies and toppings with their owners when it is written
#   ("writes (token) | edits, pairings checked against bodies/toppings"), so frostings ->
#   bodies as well; and the browser loads each layer's picture "straight from each
#   service's own image URLs", so it reaches all three (through the ingress controller).
SERVICE_CALLS = frozenset({
    ("bodies", "frostings"),
    ("bodies", "toppings"),
    ("frostings", "toppings"),
    ("frostings", "bodies"),
})  # fmt: skip
BROWSER_CALLS = frozenset(("ingress-controller", name) for name in SERVICE_NAMES)


def database_calls(names: tuple[str, ...] = SERVICE_NAMES) -> frozenset[tuple[str, str]]:
    """Each service, and its migrations Job, to its own database; nothing else reaches one."""
    calls = set()
    for name in names:
        calls.add((name, f"{name}-db"))
        calls.add((f"{name}-migrate", f"{name}-db"))
    return frozenset(calls)


def dns_calls(nodes: set[str]) -> frozenset[tuple[str, str]]:
    """Every pod of the namespace may ask the cluster's DNS."""
    return frozenset((node, "dns") for node in nodes)


def spec_of(name: str) -> ServiceSpec:
    """The launcher's spec of the service called ``name``."""
    return next(spec for spec in SERVICES if spec.name == name)
