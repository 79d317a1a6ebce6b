"""Configuration helpers: the generated secret key, database settings from a URL, seconds."""

import stat
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from bodies.config.database import SQLITE_OPTIONS, database_config
from bodies.config.env import environment
from bodies.config.secret_key import SECRET_KEY_FILE_NAME, secret_key_load

pytestmark = pytest.mark.unit


def test_a_secret_key_is_generated_once_into_a_private_file(tmp_path: Path) -> None:
    state_dir = tmp_path / "state"

    first = secret_key_load(state_dir=state_dir)
    second = secret_key_load(state_dir=state_dir)

    key_file = state_dir / SECRET_KEY_FILE_NAME
    assert len(first) >= 50
    assert second == first
    assert key_file.read_text() == first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert [path.name for path in state_dir.iterdir()] == [SECRET_KEY_FILE_NAME]


def test_separate_state_dirs_get_separate_keys(tmp_path: Path) -> None:
    assert secret_key_load(state_dir=tmp_path / "a") != secret_key_load(state_dir=tmp_path / "b")


def test_sqlite_databases_run_in_wal_mode_with_a_busy_timeout(tmp_path: Path) -> None:
    config = database_config(url=f"sqlite:///{tmp_path}/x.sqlite3")

    assert config["ENGINE"] == "bodies.core.storage_sqlite3"
    assert config["NAME"] == f"{tmp_path}/x.sqlite3"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert "busy_timeout=5000" in config["OPTIONS"]["init_command"]
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_postgresql_gets_its_lock_waits_bounded_and_no_sqlite_options() -> None:
    config = database_config(url="postgres://lab:pw@db.example:5432/bodies")

    assert config["ENGINE"] == "bodies.core.storage_postgresql"
    assert config["NAME"] == "bodies"
    assert not set(SQLITE_OPTIONS) & set(config.get("OPTIONS", {}))


@pytest.mark.parametrize(("raw", "seconds"), [(None, 1.0), ("", 1.0), ("2.5", 2.5), (" 0.2 ", 0.2)])
def test_seconds_are_read_from_the_environment_with_a_default(
    monkeypatch: pytest.MonkeyPatch, raw: str | None, seconds: float
) -> None:
    if raw is None:
        monkeypatch.delenv("UPSTREAM_TIMEOUT", raising=False)
    else:
        monkeypatch.setenv("UPSTREAM_TIMEOUT", raw)

    assert environment().seconds("UPSTREAM_TIMEOUT", default=1.0) == seconds


@pytest.mark.parametrize("raw", ["soon", "0", "-1", "nan", "inf"])
def test_seconds_that_are_not_a_positive_number_stop_the_service(
    monkeypatch: pytest.MonkeyPatch, raw: str
) -> None:
    monkeypatch.setenv("UPSTREAM_TIMEOUT", raw)

    with pytest.raises(ImproperlyConfigured, match="UPSTREAM_TIMEOUT"):
        environment().seconds("UPSTREAM_TIMEOUT", default=1.0)
