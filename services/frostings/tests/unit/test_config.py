"""Settings from the environment, with local defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from frostings import create_app
from frostings.config import load_settings
from frostings.extensions import db


def test_defaults_run_the_service_locally() -> None:
    config = load_settings({})
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{Path.cwd()}/.lab/frostings.sqlite3"
    assert config["CUPCAKE_ADMIN_TOKEN"] is None
    assert config["PUBLIC_URL"] == "http://127.0.0.1:5000"
    assert config["BODIES_URL"] == "http://127.0.0.1:8000"
    assert config["TOPPINGS_URL"] == "http://127.0.0.1:6500"
    assert config["UPSTREAM_TIMEOUT"] == 1.0
    assert config["UPSTREAM_ATTEMPTS"] == 2
    assert config["BREAKER_FAILURES"] == 3
    assert config["BREAKER_RESET"] == 2.0
    assert config["REQUEST_DEADLINE"] == 5.0
    assert config["CHAOS_ENABLED"] is False
    assert config["STATE_DIR"] == Path.cwd() / ".lab"
    assert config["MAX_CONTENT_LENGTH"] == 64 * 1024


def test_environment_overrides_every_default() -> None:
    config = load_settings(
        {
            "DATABASE_URL": "postgresql://db/frostings",
            "CUPCAKE_ADMIN_TOKEN": "t",
            "PUBLIC_URL": "https://frostings.example/",
            "BODIES_URL": "http://bodies:8000/",
            "TOPPINGS_URL": "http://toppings:6500",
            "UPSTREAM_TIMEOUT": "0.25",
            "UPSTREAM_ATTEMPTS": "1",
            "BREAKER_FAILURES": "5",
            "BREAKER_RESET": "0.5",
            "REQUEST_DEADLINE": "1.5",
            "CUPCAKE_CHAOS": "1",
            "CUPCAKE_STATE_DIR": "/srv/lab",
        }
    )
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql://db/frostings"
    assert config["CUPCAKE_ADMIN_TOKEN"] == "t"
    assert config["PUBLIC_URL"] == "https://frostings.example"
    assert config["BODIES_URL"] == "http://bodies:8000"
    assert config["UPSTREAM_TIMEOUT"] == 0.25
    assert (config["UPSTREAM_ATTEMPTS"], config["BREAKER_FAILURES"]) == (1, 5)
    assert (config["BREAKER_RESET"], config["REQUEST_DEADLINE"]) == (0.5, 1.5)
    assert config["CHAOS_ENABLED"] is True
    assert config["STATE_DIR"] == Path("/srv/lab")


@pytest.mark.parametrize("raw", ["", "0", "yes", "true"])
def test_chaos_is_on_only_when_asked_for_with_1(raw: str) -> None:
    assert load_settings({"CUPCAKE_CHAOS": raw})["CHAOS_ENABLED"] is False


def test_an_empty_token_means_writes_are_disabled() -> None:
    assert load_settings({"CUPCAKE_ADMIN_TOKEN": ""})["CUPCAKE_ADMIN_TOKEN"] is None


@pytest.mark.parametrize("raw", ["soon", "0", "-1"])
def test_a_bad_timeout_is_refused_at_startup(raw: str) -> None:
    with pytest.raises(ValueError, match="UPSTREAM_TIMEOUT"):
        load_settings({"UPSTREAM_TIMEOUT": raw})


@pytest.mark.parametrize("name", ["BREAKER_RESET", "REQUEST_DEADLINE"])
@pytest.mark.parametrize("raw", ["soon", "0", "-1"])
def test_a_bad_duration_is_refused_at_startup(name: str, raw: str) -> None:
    with pytest.raises(ValueError, match=name):
        load_settings({name: raw})


@pytest.mark.parametrize("name", ["UPSTREAM_ATTEMPTS", "BREAKER_FAILURES"])
@pytest.mark.parametrize("raw", ["many", "1.5", "0", "-2"])
def test_a_bad_count_is_refused_at_startup(name: str, raw: str) -> None:
    with pytest.raises(ValueError, match=name):
        load_settings({name: raw})


def test_cors_origins_are_listed_ones_only() -> None:
    assert load_settings({})["CORS_ALLOWED_ORIGINS"] == ()
    config = load_settings({"CORS_ALLOWED_ORIGINS": "https://shop.example, http://127.0.0.1:3000"})
    assert config["CORS_ALLOWED_ORIGINS"] == ("https://shop.example", "http://127.0.0.1:3000")
    with pytest.raises(ValueError, match="'\\*' is not allowed"):
        load_settings({"CORS_ALLOWED_ORIGINS": "*"})


def test_the_app_connects_to_postgresql_through_psycopg_3() -> None:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "postgres://db/frostings"})
    with app.app_context():
        assert db.engine.dialect.driver == "psycopg"
        db.engine.dispose()
