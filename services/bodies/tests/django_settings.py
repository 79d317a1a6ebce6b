"""Django settings of the test suite: the service's own, with a fixed key and a fast hasher.

The environment is set before the service's settings are read, so that the suite never
writes a key file into the working tree and never sees the shell's admin token or peers.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-insecure-secret-key")
os.environ.pop("CUPCAKE_ADMIN_TOKEN", None)
# The suite reaches peers through fakes only; a lab's addresses in the shell must not leak in.
for name in (
    "FROSTINGS_URL",
    "TOPPINGS_URL",
    "UPSTREAM_TIMEOUT",
    "UPSTREAM_ATTEMPTS",
    "BREAKER_FAILURES",
    "BREAKER_RESET",
    "REQUEST_DEADLINE",
    "CUPCAKE_CHAOS",
    "TOUR_CHAOS_EXPIRY",
    "PUBLIC_URL",
):
    os.environ.pop(name, None)

from bodies.config.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
