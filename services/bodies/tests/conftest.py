"""Fixtures shared by unit and integration tests."""

import os
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from pytest_django import Settings

from bodies.assembler.apps import policy_from_settings
from bodies.assembler.upstream import Upstreams, upstreams_create
from cupcake_chassis.wiring import Wiring
from cupcake_testing.clock import ManualClock, ManualSpawn
from fakes import FAST_POLICY, FROSTINGS_URL, TOPPINGS_URL, FakePeers, UpstreamsInstall

# Log lines are written in the test's own thread, so pytest captures them with the test.
os.environ.setdefault("CUPCAKE_LOG_QUEUE", "0")

ADMIN_TOKEN = "test-admin-token"


@pytest.fixture
def admin_token(settings: Settings) -> str:
    """Configure the admin token for this test and return it."""
    settings.CUPCAKE_ADMIN_TOKEN = ADMIN_TOKEN
    return ADMIN_TOKEN


@pytest.fixture
def auth(admin_token: str) -> dict[str, str]:
    """Request headers that carry the admin bearer token."""
    return {"Authorization": f"Bearer {admin_token}"}


@pytest.fixture
def peers(clock: ManualClock) -> FakePeers:
    """Fake frostings and toppings services, healthy until the test breaks them."""
    return FakePeers(clock)


@pytest.fixture
def wiring(peers: FakePeers, clock: ManualClock, spawn: ManualSpawn) -> Wiring:
    """What the peer clients run on in a test: the fake peers, the test's clock and spawn."""
    return Wiring(transport=peers.transport, clock=clock, spawn=spawn)


@pytest.fixture
def upstreams(wiring: Wiring) -> Iterator[Upstreams]:
    """Peer clients of the fakes (retries at once, the breaker kept closed)."""
    built = upstreams_create(
        frostings_url=FROSTINGS_URL, toppings_url=TOPPINGS_URL, policy=FAST_POLICY, wiring=wiring
    )
    yield built
    built.close()


@pytest.fixture
def upstreams_install(monkeypatch: pytest.MonkeyPatch) -> Iterator[UpstreamsInstall]:
    """Install peer clients in the running app (the assembler's AppConfig) for this test;
    the app's own come back, and the installed ones are closed, after it."""
    installed: list[Upstreams] = []

    def install(upstreams: Upstreams) -> Upstreams:
        monkeypatch.setattr(apps.get_app_config("assembler"), "upstreams", upstreams)
        installed.append(upstreams)
        return upstreams

    yield install
    for upstreams in installed:
        upstreams.close()


@pytest.fixture
def fake_peers(peers: FakePeers, wiring: Wiring, upstreams_install: UpstreamsInstall) -> FakePeers:
    """The app's peer clients, as its settings describe them, reach the fake frostings and
    toppings for this test, on the test's clock."""
    upstreams_install(
        upstreams_create(
            frostings_url=FROSTINGS_URL,
            toppings_url=TOPPINGS_URL,
            policy=policy_from_settings(django_settings),
            wiring=wiring,
        )
    )
    return peers
