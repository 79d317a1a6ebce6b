"""The fuzz lab: each service's real app as it is served, on a fresh migrated database,
its peers real apps in-process; and the figures of the run in pytest's summary."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import pytest
from django.test import override_settings

from tests.inprocess import (
    FROSTINGS_URL,
    TOPPINGS_URL,
    HostRoutingTransport,
    WsgiApp,
    bodies_build,
    frostings_build,
    toppings_build,
)

from .lab import FuzzLab
from .settings import fuzz_seed

if TYPE_CHECKING:
    # Only named here: the toppings app (and Pyramid) load when a fuzz lab is built.
    from pyramid.router import Router

REQUESTS = pytest.StashKey[FuzzLab]()


def toppings_served(app: Router) -> WsgiApp:
    """The toppings app as granian serves it: inside the chassis' deadline middleware."""
    from toppings.middleware import middleware_wrap

    served: WsgiApp = middleware_wrap(app, app.registry.settings)
    return served


def bodies_served(app: WsgiApp) -> WsgiApp:
    """The bodies app as granian serves it: inside the front door's deadline middleware."""
    from bodies.config.wsgi import chassis_wrap

    return chassis_wrap(app)


@contextmanager
def bodies_peers_installed(network: HostRoutingTransport) -> Iterator[None]:
    """Bodies' assembler calls its peers through ``network`` (its AppConfig's peer clients,
    built as its settings say, replaced while the block runs)."""
    from django.apps import apps
    from django.conf import settings

    from bodies.assembler.apps import policy_from_settings
    from bodies.assembler.upstream import upstreams_create
    from cupcake_chassis.wiring import Wiring

    upstreams = upstreams_create(
        frostings_url=FROSTINGS_URL,
        toppings_url=TOPPINGS_URL,
        policy=policy_from_settings(settings),
        wiring=Wiring(transport=network),
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(apps.get_app_config("assembler"), "upstreams", upstreams)
        yield
    upstreams.close()


@pytest.fixture(scope="session")
def fuzz_lab(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FuzzLab]:
    """The three services as they are served (in the chassis' middleware), each fuzzed on
    its own fresh database; the peers they call are real apps too (frostings and toppings
    on databases of their own, left as seeded)."""
    state = tmp_path_factory.mktemp("fuzz")
    peer_toppings = toppings_served(toppings_build(database_file=state / "peer-toppings.sqlite3"))
    bodies = bodies_served(bodies_build(state_dir=state))
    peer_frostings = frostings_build(
        database_file=state / "peer-frostings.sqlite3",
        peers=HostRoutingTransport({"bodies.test": bodies, "toppings.test": peer_toppings}),
    )
    peers = HostRoutingTransport(
        {"bodies.test": bodies, "frostings.test": peer_frostings, "toppings.test": peer_toppings}
    )
    lab = FuzzLab(
        apps={
            "bodies": bodies,
            "frostings": frostings_build(database_file=state / "frostings.sqlite3", peers=peers),
            "toppings": toppings_served(toppings_build(database_file=state / "toppings.sqlite3")),
        }
    )
    request.config.stash[REQUESTS] = lab
    # The assembler in bodies reaches its peers through the same in-process transport.
    # The fuzzer is one client baking far more than BAKE_RATE_LIMIT allows: its 429s would
    # hide what it looks for (the limit itself has tests of its own, with real processes).
    with override_settings(BAKE_RATE_LIMIT=None), bodies_peers_installed(peers):
        yield lab


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print how many requests the fuzzer sent each service (and the seed that replays
    them), and how many stored items were checked against the rules."""
    lab = terminalreporter.config.stash.get(REQUESTS, None)
    if lab is None:
        return
    counts = ", ".join(f"{name} {lab.requests[name]}" for name in sorted(lab.apps))
    terminalreporter.write_line(f"fuzz requests per service: {counts} (FUZZ_SEED={fuzz_seed()})")
    if lab.checked:
        checked = ", ".join(f"{count} {kind}" for kind, count in sorted(lab.checked.items()))
        terminalreporter.write_line(f"checked against the rules after fuzzing: {checked}")
