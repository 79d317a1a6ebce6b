"""Database URLs as the services' SQLAlchemy engines need them."""

from __future__ import annotations

# SQLAlchemy reads a bare ``postgresql://`` as psycopg2; the services ship psycopg 3.
POSTGRES_SCHEMES = ("postgres", "postgresql")


def sqlalchemy_url(url: str) -> str:
    """Return ``url`` for SQLAlchemy: ``postgres://`` and ``postgresql://`` go through psycopg 3.

    Any other URL, one naming its driver included (``postgresql+psycopg2://``), is left as is.
    """
    scheme, separator, rest = url.partition("://")
    if separator and scheme in POSTGRES_SCHEMES:
        return f"postgresql+psycopg://{rest}"
    return url
