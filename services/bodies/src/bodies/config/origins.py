"""Origins (``scheme://host[:port]``) in settings: CORS and the page's picture sources."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from bodies.config.env import list_from_env
from cupcake_chassis.cors import origins_parse


def origin_of(url: str) -> str:
    """Return the origin of an absolute http(s) URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def origins_from_env(name: str, *, default: str = "") -> tuple[str, ...]:
    """Return the origins listed in the environment variable ``name`` (else ``default``).

    ``*`` or anything that is not a bare origin stops the service at start-up.
    """
    try:
        return origins_parse(",".join(list_from_env(name, default=default)))
    except ValueError as exc:
        raise ImproperlyConfigured(str(exc).replace("CORS_ALLOWED_ORIGINS", name)) from None
