"""Settings of the frostings service, read from the environment in this one place.

Every setting has a local default so that the service runs on a laptop with no
environment at all; the launcher and deployments override them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cupcake_chassis.admission import AdmissionPolicy
from cupcake_chassis.env import Environment

SERVICE_NAME = "frostings"
DEFAULT_PORT = 5000
MAX_BODY_BYTES = 64 * 1024
RETRY_AFTER_SECONDS = 5


def load_settings(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Return the service's settings, as Flask config, from ``environ`` (default: the
    process's); a value the service cannot run with raises ``SettingError``."""
    env = Environment(environ)
    return {
        "SQLALCHEMY_DATABASE_URI": env.database_url(SERVICE_NAME),
        # An empty token counts as unset: writes are then refused with 403.
        "CUPCAKE_ADMIN_TOKEN": env.text("CUPCAKE_ADMIN_TOKEN"),
        "PUBLIC_URL": env.url("PUBLIC_URL", default=f"http://127.0.0.1:{DEFAULT_PORT}"),
        "BODIES_URL": env.url("BODIES_URL", default="http://127.0.0.1:8000"),
        "TOPPINGS_URL": env.url("TOPPINGS_URL", default="http://127.0.0.1:6500"),
        "UPSTREAM_TIMEOUT": env.seconds("UPSTREAM_TIMEOUT", default=1.0),
        # Tries of one GET to a peer (connection errors and 5xx only), within the deadline.
        "UPSTREAM_ATTEMPTS": env.count("UPSTREAM_ATTEMPTS", default=2),
        # Failures in a row that open a peer's circuit, and seconds until it half-opens.
        "BREAKER_FAILURES": env.count("BREAKER_FAILURES", default=3),
        "BREAKER_RESET": env.seconds("BREAKER_RESET", default=2.0),
        # The most time a request may take; a caller's Request-Deadline-Ms can only shorten it.
        "REQUEST_DEADLINE": env.seconds("REQUEST_DEADLINE", default=5.0),
        # Requests at work at once, waiting, and for how long; others are refused at once.
        "ADMISSION": AdmissionPolicy.from_environment(env),
        # /_chaos exists only in a lab started with chaos enabled (the local one).
        "CHAOS_ENABLED": env.flag("CUPCAKE_CHAOS"),
        "STATE_DIR": env.state_dir(),
        "RETRY_AFTER_SECONDS": RETRY_AFTER_SECONDS,
        # Flask and Werkzeug enforce this on Content-Length and while reading the stream.
        "MAX_CONTENT_LENGTH": MAX_BODY_BYTES,
        # Other sites whose scripts may call this API (CORS): none unless listed.
        "CORS_ALLOWED_ORIGINS": env.origins("CORS_ALLOWED_ORIGINS"),
    }
