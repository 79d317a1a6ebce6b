"""The three real services built in one process, wired to each other through httpx.WSGITransport.

Each app is the service's own WSGI application on its own SQLite file, built by its own
migrations; only the network is replaced, by transports that call the peer app directly.
The contract and fuzz suites build their labs from these.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import httpx
import pytest
from flask import Flask

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


def toppings_build(*, database_file: Path) -> WsgiApp:
    """The real toppings app (Pyramid) on a freshly migrated SQLite file."""
    from toppings import main
    from toppings.migrate import database_migrate
    from toppings.settings import ADMIN_TOKEN, DATABASE_URL, PUBLIC_URL

    url = f"sqlite:///{database_file}"
    database_migrate(database_url=url)
    app: WsgiApp = main({}, **{DATABASE_URL: url, ADMIN_TOKEN: TOKEN, PUBLIC_URL: TOPPINGS_URL})
    return app


def bodies_build(*, state_dir: Path) -> WsgiApp:
    """The real bodies app (Django) on a freshly migrated SQLite file.

    Django's settings are global: one process holds one bodies app, built once."""
    with pytest.MonkeyPatch.context() as env:
        for name, value in {
            "DJANGO_SETTINGS_MODULE": "bodies.config.settings",
            "DATABASE_URL": f"sqlite:///{state_dir / 'bodies.sqlite3'}",
            "DJANGO_SECRET_KEY": "contract-tests-only",
            "DJANGO_ALLOWED_HOSTS": "bodies.test",
            "CUPCAKE_ADMIN_TOKEN": TOKEN,
            "CUPCAKE_STATE_DIR": str(state_dir),
            "PUBLIC_URL": BODIES_URL,
            # Log lines written in the test's own thread, so pytest captures them with it.
            "CUPCAKE_LOG_QUEUE": "0",
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


def frostings_build(*, database_file: Path, peers: httpx.BaseTransport) -> Flask:
    """A real frostings app (Flask) on a migrated SQLite file, reaching its peers through
    ``peers``; each new app starts with empty caches."""
    from flask_migrate import upgrade

    from cupcake_chassis.wiring import Wiring
    from frostings import create_app
    from frostings.extensions import MIGRATIONS_DIR

    with pytest.MonkeyPatch.context() as env:
        env.setenv("CUPCAKE_LOG_QUEUE", "0")  # as for bodies
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database_file}",
                "CUPCAKE_ADMIN_TOKEN": TOKEN,
                "PUBLIC_URL": FROSTINGS_URL,
                "BODIES_URL": BODIES_URL,
                "TOPPINGS_URL": TOPPINGS_URL,
            },
            wiring=Wiring(transport=peers),
        )
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR))
    return app
