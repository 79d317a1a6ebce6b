"""Every setting of the toppings service, read from the environment in one place.

Pyramid keeps settings in a flat dict; the keys below are the only ones the
service reads. Environment variables give the values, with defaults that work
on a laptop, and whatever the caller of ``main()`` passes (tests) wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cupcake_chassis.admission import AdmissionPolicy
from cupcake_chassis.env import Environment

SERVICE_NAME = "toppings"
DEFAULT_PORT = 6500
MAX_BODY_BYTES = 64 * 1024

DATABASE_URL = "sqlalchemy.url"
ADMIN_TOKEN = "toppings.admin_token"
PUBLIC_URL = "toppings.public_url"
MAX_BODY = "toppings.max_body_bytes"
RESPONSE_VALIDATION = "pyramid_openapi3.enable_response_validation"
STATE_DIR = "toppings.state_dir"
CHAOS_ENABLED = "toppings.chaos_enabled"
REQUEST_DEADLINE = "toppings.request_deadline"
CORS_ALLOWED_ORIGINS = "toppings.cors_allowed_origins"
ADMISSION = "toppings.admission"


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Return the service's settings: environment (or defaults), then ``overrides``."""
    env = Environment(environ)
    settings: dict[str, Any] = {
        DATABASE_URL: env.database_url(SERVICE_NAME),
        # An empty token counts as unset: writes are then refused with 403.
        ADMIN_TOKEN: env.text("CUPCAKE_ADMIN_TOKEN"),
        PUBLIC_URL: env.url("PUBLIC_URL", default=f"http://127.0.0.1:{DEFAULT_PORT}"),
        MAX_BODY: MAX_BODY_BYTES,
        STATE_DIR: env.state_dir(),
        # /_chaos exists only in a lab started with chaos enabled (the local one).
        CHAOS_ENABLED: env.flag("CUPCAKE_CHAOS"),
        # The most time a request may take when its caller sets no deadline.
        REQUEST_DEADLINE: env.seconds("REQUEST_DEADLINE", default=5.0),
        # Requests at work at once, waiting, and for how long; others are refused at once.
        ADMISSION: AdmissionPolicy.from_environment(env),
        # Other sites whose scripts may call this API (CORS): none unless listed.
        CORS_ALLOWED_ORIGINS: env.origins("CORS_ALLOWED_ORIGINS"),
        # Response validation costs time on every request: off unless asked for.
        RESPONSE_VALIDATION: False,
        "tm.manager_hook": "pyramid_tm.explicit_manager",
        # Reads need no transaction of their own (``models.dbsession``): writes only.
        "tm.activate_hook": "toppings.models.transaction_wanted",
    }
    settings.update(overrides or {})
    return settings
