"""Database URLs: PostgreSQL through psycopg 3, anything else as given."""

import pytest

from cupcake_chassis.databases import sqlalchemy_url

URLS = [
    (
        "postgresql://user:secret@db:5432/cupcakes",
        "postgresql+psycopg://user:secret@db:5432/cupcakes",
    ),
    ("postgres://db/cupcakes", "postgresql+psycopg://db/cupcakes"),
    ("postgresql+psycopg2://db/cupcakes", "postgresql+psycopg2://db/cupcakes"),
    ("sqlite:////tmp/cupcakes.sqlite3", "sqlite:////tmp/cupcakes.sqlite3"),
]


@pytest.mark.parametrize(("url", "expected"), URLS)
def test_postgresql_urls_go_through_psycopg_3(url: str, expected: str) -> None:
    assert sqlalchemy_url(url) == expected
