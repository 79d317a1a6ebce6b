"""The three real services in one process (see tests/inprocess.py), for the contract tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.inprocess import (
    TOKEN,
    TOPPINGS_URL,
    HostRoutingTransport,
    WsgiApp,
    bodies_build,
    frostings_build,
    toppings_build,
)


@pytest.fixture(scope="session")
def toppings_app(tmp_path_factory: pytest.TempPathFactory) -> WsgiApp:
    """The real toppings app (Pyramid) on a migrated SQLite file."""
    return toppings_build(database_file=tmp_path_factory.mktemp("toppings") / "toppings.sqlite3")


@pytest.fixture(scope="session")
def bodies_app(tmp_path_factory: pytest.TempPathFactory) -> WsgiApp:
    """The real bodies app (Django) on a migrated SQLite file."""
    return bodies_build(state_dir=tmp_path_factory.mktemp("bodies"))


@pytest.fixture
def frostings_factory(
    tmp_path: Path, bodies_app: WsgiApp, toppings_app: WsgiApp
) -> Callable[[], Flask]:
    """Builds real frostings apps (Flask) on this test's migrated SQLite file, the real
    apps as peers; each new app starts with empty caches."""
    transport = HostRoutingTransport({"bodies.test": bodies_app, "toppings.test": toppings_app})

    def build() -> Flask:
        return frostings_build(database_file=tmp_path / "frostings.sqlite3", peers=transport)

    return build


@pytest.fixture
def frostings_app(frostings_factory: Callable[[], Flask]) -> Flask:
    """The real frostings app on a fresh database, its peers the real apps."""
    return frostings_factory()


@pytest.fixture
def frostings(frostings_app: Flask) -> FlaskClient:
    """A test client of the real frostings app."""
    return frostings_app.test_client()


@pytest.fixture
def toppings(toppings_app: WsgiApp) -> Iterator[httpx.Client]:
    """An HTTP client of the real toppings app."""
    with httpx.Client(transport=httpx.WSGITransport(app=toppings_app), base_url=TOPPINGS_URL) as c:
        yield c


@pytest.fixture
def admin() -> dict[str, str]:
    """Headers that authorise a write."""
    return {"Authorization": f"Bearer {TOKEN}"}
