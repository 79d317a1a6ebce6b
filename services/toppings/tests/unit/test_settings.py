"""Settings: environment variables, local defaults, overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from toppings.models import get_engine
from toppings.settings import (
    ADMIN_TOKEN,
    CORS_ALLOWED_ORIGINS,
    DATABASE_URL,
    MAX_BODY,
    PUBLIC_URL,
    RESPONSE_VALIDATION,
    load_settings,
)


def test_defaults_work_on_a_laptop(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings(environ={})
    assert settings[DATABASE_URL] == f"sqlite:///{tmp_path}/.lab/toppings.sqlite3"
    assert settings[ADMIN_TOKEN] is None
    assert settings[PUBLIC_URL] == "http://127.0.0.1:6500"
    assert settings[MAX_BODY] == 64 * 1024
    assert settings[RESPONSE_VALIDATION] is False


def test_environment_variables_are_read() -> None:
    settings = load_settings(
        environ={
            "DATABASE_URL": "postgresql://db/toppings",
            "CUPCAKE_ADMIN_TOKEN": "s3cret",
            "PUBLIC_URL": "https://toppings.example/",
        }
    )
    assert settings[DATABASE_URL] == "postgresql://db/toppings"
    assert settings[ADMIN_TOKEN] == "s3cret"
    assert settings[PUBLIC_URL] == "https://toppings.example"


def test_an_empty_admin_token_counts_as_unset() -> None:
    assert load_settings(environ={"CUPCAKE_ADMIN_TOKEN": ""})[ADMIN_TOKEN] is None


def test_overrides_win_over_the_environment() -> None:
    settings = load_settings({ADMIN_TOKEN: "mine"}, environ={"CUPCAKE_ADMIN_TOKEN": "theirs"})
    assert settings[ADMIN_TOKEN] == "mine"


def test_cors_origins_are_listed_ones_only() -> None:
    assert load_settings(environ={})[CORS_ALLOWED_ORIGINS] == ()
    listed = load_settings(environ={"CORS_ALLOWED_ORIGINS": "https://shop.example"})
    assert listed[CORS_ALLOWED_ORIGINS] == ("https://shop.example",)
    with pytest.raises(ValueError, match="'\\*' is not allowed"):
        load_settings(environ={"CORS_ALLOWED_ORIGINS": "*"})


def test_the_engine_connects_to_postgresql_through_psycopg_3() -> None:
    engine = get_engine({DATABASE_URL: "postgres://db/toppings"})
    assert engine.dialect.driver == "psycopg"
    engine.dispose()


@pytest.mark.parametrize("raw", ["-1", "0", "soon", "nan"])
def test_a_request_deadline_that_is_no_positive_time_stops_the_service(raw: str) -> None:
    with pytest.raises(ValueError, match="REQUEST_DEADLINE"):
        load_settings(environ={"REQUEST_DEADLINE": raw})
