"""The application factory of the frostings service (``frostings.create_app`` calls it).

The app it returns answers through the service chassis: deadlines on every request, chaos
in the local lab, and resilient clients of the peers.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib.metadata import version
from typing import Any

from apiflask import APIFlask

from cupcake_chassis.databases import sqlalchemy_url
from cupcake_chassis.logs import logging_configure
from cupcake_chassis.sqlalchemy_storage import engine_options, engine_storage_install, session_close
from cupcake_chassis.wiring import Wiring
from frostings.api import catalogue, edits, pairings
from frostings.catalogue_cache import catalogue_cache_init
from frostings.clients import EXTENSION_KEY, peers_create
from frostings.config import SERVICE_NAME, load_settings
from frostings.error_handlers import error_handlers_init
from frostings.extensions import MIGRATIONS_DIR, db, migrate
from frostings.health import bp as health_bp
from frostings.logs import request_log_init
from frostings.middleware import middleware_install
from frostings.openapi import OPENAPI_CONFIG, schema_name, spec_finish


def create_app(
    test_config: Mapping[str, Any] | None = None, *, wiring: Wiring | None = None
) -> APIFlask:
    """Build the WSGI app from the environment, overridden by ``test_config`` if given.

    ``wiring`` is what the peer clients and the deadlines run on: by default the network,
    the system clock and background threads.
    """
    wiring = wiring or Wiring()
    app = APIFlask(
        "frostings",
        title="Cupcake Lab frostings",
        version=version("cupcake-frostings"),
        spec_path="/api/v1/openapi.json",
        docs_path="/api/v1/docs",
        docs_oauth2_redirect_path=None,
    )
    app.config.from_mapping(load_settings())
    app.config.from_mapping(OPENAPI_CONFIG)
    if test_config is not None:
        app.config.from_mapping(test_config)
    url = sqlalchemy_url(app.config["SQLALCHEMY_DATABASE_URI"])
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    # A server's dead connections replaced before use, a bounded connect.
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options(url))

    logging_configure(SERVICE_NAME)
    request_log_init(app)
    db.init_app(app)
    with app.app_context():
        # SQLite in WAL mode, lock waits within the deadline, refused writes and dead
        # connections answered and replaced by themselves (cupcake_chassis.storage).
        engine_storage_install(db.engine)
    # Before Flask-SQLAlchemy's own (teardowns run last registered first): a session whose
    # connection the server closed meanwhile ends quietly, not as a 500 after the answer.
    app.teardown_appcontext(_session_ended)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR))
    app.extensions[EXTENSION_KEY] = peers_create(app.config, wiring)
    catalogue_cache_init(app)

    error_handlers_init(app)
    app.schema_name_resolver = schema_name
    app.spec_processor(spec_finish)
    app.register_blueprint(health_bp)
    app.register_blueprint(catalogue.bp)
    app.register_blueprint(pairings.bp)
    app.register_blueprint(edits.bp)
    middleware_install(app, clock=wiring.clock)
    return app


def _session_ended(exc: BaseException | None) -> None:
    if db.session.registry.has():
        session_close(db.session())
        db.session.remove()
