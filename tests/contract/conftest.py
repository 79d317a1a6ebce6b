"""The three real services in one process, wired to each other through httpx.WSGITransport.

Each app is the service's own WSGI application on its own SQLite file, built by its own
migrations; only the network is replaced, by transports that call the peer app directly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import httpx
import pytest
from flask import Flask
from flask.testing import FlaskClient

TOKEN = "contract-admin-token"
BODIES_URL = "http://bodies.test"
TOPPINGS_URL = "http://toppings.test"
FROSTINGS_URL = "http://frostings.test"
WsgiApp = Callable[..., Any]


class HostRoutingTransport(httpx.BaseTransport):
    """Sends each request to the in-process WSGI app registered for its host."""

    def __init__(self, apps: Mapping[str, WsgiApp]) -> None:
        self._transports = {host: httpx.WSGITransport(app=app) for host, app in apps.items()}

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Route by host; an unknown host fails like an unreachable one."""
        transport = self._transports.get(request.url.host)
        if transport is None:
            raise httpx.ConnectError(f"no such host {request.url.host}", request=request)
        return transport.handle_request(request)


@pytest.fixture(scope="session")
def toppings_app(tmp_path_factory: pytest.TempPathFactory) -> WsgiApp:
    """The real toppings app (Pyramid) on a migrated SQLite file."""
    from toppings import main
    from toppings.migrate import database_migrate
    from toppings.settings import ADMIN_TOKEN, DATABASE_URL, PUBLIC_URL

    url = f"sqlite:///{tmp_path_factory.mktemp('toppings') / 'toppings.sqlite3'}"
    database_migrate(database_url=url)
    app: WsgiApp = main({}, **{DATABASE_URL: url, ADMIN_TOKEN: TOKEN, PUBLIC_URL: TOPPINGS_URL})
    return app


@pytest.fixture(scope="session")
def bodies_app(tmp_path_factory: pytest.TempPathFactory) -> WsgiApp:
    """The real bodies app (Django) on a migrated SQLite file."""
    state = tmp_path_factory.mktemp("bodies")
    with pytest.MonkeyPatch.context() as env:
        for name, value in {
            "DJANGO_SETTINGS_MODULE": "bodies.config.settings",
            "DATABASE_URL": f"sqlite:///{state / 'bodies.sqlite3'}",
            "DJANGO_SECRET_KEY": "contract-tests-only",
            "DJANGO_ALLOWED_HOSTS": "bodies.test",
            "CUPCAKE_ADMIN_TOKEN": TOKEN,
            "CUPCAKE_STATE_DIR": str(state),
            "PUBLIC_URL": BODIES_URL,
        }.items():
            env.setenv(name, value)
        import django
        from django.core.management import call_command
        from django.core.wsgi import get_wsgi_application

        django.setup()
        call_command("migrate", verbosity=0, interactive=False)
        application = get_wsgi_application()
    # Django has read its settings: the environment goes back as it was, so that
    # processes started later in the session (the e2e labs) do not inherit it.
    return application


@pytest.fixture
def frostings_factory(
    tmp_path: Path, bodies_app: WsgiApp, toppings_app: WsgiApp
) -> Callable[[], Flask]:
    """Builds real frostings apps (Flask) on this test's migrated SQLite file, the real
    apps as peers; each new app starts with empty caches."""
    from flask_migrate import upgrade

    from frostings import create_app
    from frostings.extensions import MIGRATIONS_DIR

    transport = HostRoutingTransport({"bodies.test": bodies_app, "toppings.test": toppings_app})
    config = {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'frostings.sqlite3'}",
        "CUPCAKE_ADMIN_TOKEN": TOKEN,
        "PUBLIC_URL": FROSTINGS_URL,
        "BODIES_URL": BODIES_URL,
        "TOPPINGS_URL": TOPPINGS_URL,
        "PEER_TRANSPORT": transport,
    }

    def build() -> Flask:
        app = create_app(config)
        with app.app_context():
            upgrade(directory=str(MIGRATIONS_DIR))
        return app

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
