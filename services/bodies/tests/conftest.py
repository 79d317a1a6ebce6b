"""Fixtures shared by unit and integration tests."""

import os
from collections.abc import Iterator

import pytest
from pytest_django import Settings

from bodies.assembler.upstream import Upstreams, upstreams_create
from fakes import FAST_POLICY, FROSTINGS_URL, TOPPINGS_URL, FakePeers

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
def peers() -> FakePeers:
    """Fake frostings and toppings services, healthy until the test breaks them."""
    return FakePeers()


@pytest.fixture
def upstreams(peers: FakePeers) -> Iterator[Upstreams]:
    """Peer clients whose transport is the fakes (retries at once, the breaker kept closed)."""
    built = upstreams_create(
        frostings_url=FROSTINGS_URL,
        toppings_url=TOPPINGS_URL,
        policy=FAST_POLICY,
        transport=peers.transport,
    )
    yield built
    built.close()
