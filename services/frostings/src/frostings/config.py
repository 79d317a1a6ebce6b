"""Settings of the frostings service, read from the environment in this one place.

Every setting has a local default so that the service runs on a laptop with no
environment at all; the launcher and deployments override them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cupcake_chassis.cors import origins_parse
from cupcake_chassis.env import count_parse, seconds_parse

SERVICE_NAME = "frostings"
DEFAULT_PORT = 5000
MAX_BODY_BYTES = 64 * 1024
RETRY_AFTER_SECONDS = 5


def default_database_url() -> str:
    """The local SQLite file: ``<cwd>/.lab/frostings.sqlite3``."""
    return f"sqlite:///{Path.cwd() / '.lab' / f'{SERVICE_NAME}.sqlite3'}"


def _base_url(environ: Mapping[str, str], name: str, default: str) -> str:
    return (environ.get(name) or default).rstrip("/")


def load_config(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Return the Flask config of the service built from ``environ`` (default: the process's)."""
    env = os.environ if environ is None else environ
    return {
        "SQLALCHEMY_DATABASE_URI": env.get("DATABASE_URL") or default_database_url(),
        # An empty token counts as unset: writes are then refused with 403.
        "CUPCAKE_ADMIN_TOKEN": env.get("CUPCAKE_ADMIN_TOKEN") or None,
        "PUBLIC_URL": _base_url(env, "PUBLIC_URL", f"http://127.0.0.1:{DEFAULT_PORT}"),
        "BODIES_URL": _base_url(env, "BODIES_URL", "http://127.0.0.1:8000"),
        "TOPPINGS_URL": _base_url(env, "TOPPINGS_URL", "http://127.0.0.1:6500"),
        "UPSTREAM_TIMEOUT": seconds_parse(
            env.get("UPSTREAM_TIMEOUT", "1.0"), name="UPSTREAM_TIMEOUT"
        ),
        # Tries of one GET to a peer (connection errors and 5xx only), within the deadline.
        "UPSTREAM_ATTEMPTS": count_parse(
            env.get("UPSTREAM_ATTEMPTS", "2"), name="UPSTREAM_ATTEMPTS"
        ),
        # Failures in a row that open a peer's circuit, and seconds until it half-opens.
        "BREAKER_FAILURES": count_parse(env.get("BREAKER_FAILURES", "3"), name="BREAKER_FAILURES"),
        "BREAKER_RESET": seconds_parse(env.get("BREAKER_RESET", "2.0"), name="BREAKER_RESET"),
        # The most time a request may take; a caller's Request-Deadline-Ms can only shorten it.
        "REQUEST_DEADLINE": seconds_parse(
            env.get("REQUEST_DEADLINE", "5.0"), name="REQUEST_DEADLINE"
        ),
        # /_chaos exists only in a lab started with chaos enabled (the local one).
        "CHAOS_ENABLED": env.get("CUPCAKE_CHAOS") == "1",
        "STATE_DIR": Path(env.get("CUPCAKE_STATE_DIR") or Path.cwd() / ".lab"),
        "RETRY_AFTER_SECONDS": RETRY_AFTER_SECONDS,
        # Flask and Werkzeug enforce this on Content-Length and while reading the stream.
        "MAX_CONTENT_LENGTH": MAX_BODY_BYTES,
        # Other sites whose scripts may call this API (CORS): none unless listed.
        "CORS_ALLOWED_ORIGINS": origins_parse(env.get("CORS_ALLOWED_ORIGINS", "")),
    }
