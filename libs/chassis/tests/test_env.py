"""Environment values: what a service can run with, or an error naming the variable."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cupcake_chassis.env import (
    Environment,
    SettingError,
    count_parse,
    origins_parse,
    seconds_parse,
)


@pytest.mark.parametrize(("raw", "seconds"), [("1", 1.0), ("0.25", 0.25), (" 2.5 ", 2.5)])
def test_seconds_are_positive_finite_numbers(raw: str, seconds: float) -> None:
    assert seconds_parse(raw, name="REQUEST_DEADLINE") == seconds


@pytest.mark.parametrize("raw", ["", "soon", "0", "-1", "nan", "inf", "-inf"])
def test_anything_else_is_refused_naming_the_variable(raw: str) -> None:
    with pytest.raises(SettingError, match="REQUEST_DEADLINE"):
        seconds_parse(raw, name="REQUEST_DEADLINE")


@pytest.mark.parametrize(("raw", "count"), [("1", 1), ("12", 12), (" 3 ", 3)])
def test_counts_are_whole_numbers_of_at_least_one(raw: str, count: int) -> None:
    assert count_parse(raw, name="WORKERS") == count


@pytest.mark.parametrize("raw", ["", "0", "-2", "1.5", "many"])
def test_other_counts_are_refused_naming_the_variable(raw: str) -> None:
    with pytest.raises(SettingError, match="WORKERS"):
        count_parse(raw, name="WORKERS")


def test_a_setting_error_is_a_value_error() -> None:
    assert issubclass(SettingError, ValueError)


def test_origins_are_read_from_a_comma_separated_setting() -> None:
    assert origins_parse("") == ()
    assert origins_parse(" https://App.example , http://127.0.0.1:3000,") == (
        "https://app.example",
        "http://127.0.0.1:3000",
    )


@pytest.mark.parametrize(
    "raw", ["*", "https://a.example,*", "app.example", "https://a.example/", "ftp://a.example"]
)
def test_a_wildcard_or_anything_but_a_bare_origin_is_refused(raw: str) -> None:
    with pytest.raises(SettingError, match="CORS_ALLOWED_ORIGINS"):
        origins_parse(raw)


class StartUpError(Exception):
    """A framework's own start-up error, as a service would hand to ``Environment``."""


def test_an_unset_or_empty_variable_reads_as_its_default() -> None:
    env = Environment({"UPSTREAM_TIMEOUT": "  ", "PUBLIC_URL": ""})

    assert env.seconds("UPSTREAM_TIMEOUT", default=1.0) == 1.0
    assert env.count("BREAKER_FAILURES", default=3) == 3
    assert env.whole("TRUSTED_PROXY_HOPS") == 0
    assert env.url("PUBLIC_URL", default="http://127.0.0.1:8000/") == "http://127.0.0.1:8000"
    assert env.path("CUPCAKE_STATE_DIR", default=Path("/lab")) == Path("/lab")
    assert env.text("CUPCAKE_ADMIN_TOKEN") is None
    assert env.flag("CUPCAKE_CHAOS") is False
    assert env.items("DJANGO_ALLOWED_HOSTS", default="a, b,") == ["a", "b"]
    assert env.origins("CORS_ALLOWED_ORIGINS") == ()


def test_set_variables_are_read_typed() -> None:
    env = Environment(
        {
            "UPSTREAM_TIMEOUT": "0.5",
            "BREAKER_FAILURES": " 4 ",
            "TRUSTED_PROXY_HOPS": "2",
            "PUBLIC_URL": "https://cupcakes.example/",
            "CUPCAKE_STATE_DIR": "/var/lib/lab",
            "CUPCAKE_CHAOS": "1",
            "DJANGO_ALLOWED_HOSTS": "",
            "PAGE_IMAGE_ORIGINS": "https://A.example",
        }
    )

    assert env.seconds("UPSTREAM_TIMEOUT", default=1.0) == 0.5
    assert env.count("BREAKER_FAILURES", default=3) == 4
    assert env.whole("TRUSTED_PROXY_HOPS") == 2
    assert env.url("PUBLIC_URL", default="http://x") == "https://cupcakes.example"
    assert env.path("CUPCAKE_STATE_DIR", default=Path("/lab")) == Path("/var/lib/lab")
    assert env.flag("CUPCAKE_CHAOS") is True
    # Set but empty is an empty list, not the default: the way to list nothing.
    assert env.items("DJANGO_ALLOWED_HOSTS", default="a") == []
    assert env.origins("PAGE_IMAGE_ORIGINS", default="https://b.example") == ("https://a.example",)


@pytest.mark.parametrize("raw", ["yes", "true", "0", "on"])
def test_only_1_turns_a_flag_on(raw: str) -> None:
    assert Environment({"CUPCAKE_CHAOS": raw}).flag("CUPCAKE_CHAOS") is False


@pytest.mark.parametrize(
    ("name", "raw", "read"),
    [
        ("UPSTREAM_TIMEOUT", "-1", lambda env: env.seconds("UPSTREAM_TIMEOUT", default=1.0)),
        ("BREAKER_FAILURES", "0", lambda env: env.count("BREAKER_FAILURES", default=3)),
        ("TRUSTED_PROXY_HOPS", "-1", lambda env: env.whole("TRUSTED_PROXY_HOPS")),
        ("PAGE_IMAGE_ORIGINS", "*", lambda env: env.origins("PAGE_IMAGE_ORIGINS")),
    ],
)
def test_a_bad_value_raises_the_frameworks_error_naming_the_variable(
    name: str, raw: str, read: Callable[[Environment], object]
) -> None:
    with pytest.raises(StartUpError, match=name):
        read(Environment({name: raw}, error=StartUpError))


def test_without_a_framework_error_a_bad_value_is_a_setting_error() -> None:
    with pytest.raises(SettingError, match="TRUSTED_PROXY_HOPS"):
        Environment({"TRUSTED_PROXY_HOPS": "two"}).whole("TRUSTED_PROXY_HOPS")


def test_the_database_is_a_sqlite_file_in_the_labs_state_unless_a_url_is_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    assert Environment({}).state_dir() == tmp_path / ".lab"
    assert Environment({}).database_url("toppings") == f"sqlite:///{tmp_path}/.lab/toppings.sqlite3"
    moved = Environment({"CUPCAKE_STATE_DIR": "/srv/lab"})
    assert moved.database_url("bodies") == "sqlite:////srv/lab/bodies.sqlite3"
    url = "postgresql://db.example/bodies"
    assert Environment({"DATABASE_URL": url}).database_url("bodies") == url
