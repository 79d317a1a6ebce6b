"""The launcher reads its configuration from the environment, with local defaults."""

import stat
from pathlib import Path

import pytest

from cupcake_lab.lab import Lab, service_env
from cupcake_lab.output import LinePrinter
from cupcake_lab.services import SERVICES
from cupcake_lab.settings import admin_token, load_settings


def test_defaults_bind_loopback_on_the_documented_ports(tmp_path: Path) -> None:
    settings = load_settings({"CUPCAKE_STATE_DIR": str(tmp_path)})
    assert settings.host == "127.0.0.1"
    assert dict(settings.ports) == {"toppings": 6500, "frostings": 5000, "bodies": 8000}
    assert settings.base_url("frostings") == "http://127.0.0.1:5000"


def test_each_service_gets_its_own_sqlite_file_in_the_state_dir(tmp_path: Path) -> None:
    settings = load_settings({"CUPCAKE_STATE_DIR": str(tmp_path)})
    assert settings.database_urls["bodies"] == f"sqlite:///{tmp_path}/bodies.sqlite3"
    assert len(set(settings.database_urls.values())) == 3


def test_ports_and_database_urls_can_be_overridden_per_service(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "CUPCAKE_STATE_DIR": str(tmp_path),
            "TOPPINGS_PORT": "7600",
            "TOPPINGS_DATABASE_URL": "postgresql://localhost/toppings",
        }
    )
    assert settings.ports["toppings"] == 7600
    assert settings.database_urls["toppings"] == "postgresql://localhost/toppings"


def test_an_ipv6_host_is_bracketed_in_urls(tmp_path: Path) -> None:
    settings = load_settings({"CUPCAKE_STATE_DIR": str(tmp_path), "CUPCAKE_HOST": "::1"})
    assert settings.base_url("bodies") == "http://[::1]:8000"


@pytest.mark.parametrize("raw", ["eighty", "0", "70000"])
def test_a_bad_port_is_refused_with_a_clear_message(tmp_path: Path, raw: str) -> None:
    with pytest.raises(SystemExit, match="BODIES_PORT"):
        load_settings({"CUPCAKE_STATE_DIR": str(tmp_path), "BODIES_PORT": raw})


def test_admin_token_is_made_once_private_and_then_reused(tmp_path: Path) -> None:
    settings = load_settings({"CUPCAKE_STATE_DIR": str(tmp_path)})
    first = admin_token(settings, {})
    assert len(first) >= 32
    assert admin_token(settings, {}) == first
    mode = stat.S_IMODE((tmp_path / "admin-token").stat().st_mode)
    assert mode == 0o600


def test_admin_token_from_the_environment_wins(tmp_path: Path) -> None:
    settings = load_settings({"CUPCAKE_STATE_DIR": str(tmp_path)})
    assert admin_token(settings, {"CUPCAKE_ADMIN_TOKEN": "given"}) == "given"
    assert not (tmp_path / "admin-token").exists()


def test_every_service_is_served_on_the_configured_host_loopback_by_default(
    tmp_path: Path,
) -> None:
    for env, host in (({}, "127.0.0.1"), ({"CUPCAKE_HOST": "::1"}, "::1")):
        settings = load_settings({"CUPCAKE_STATE_DIR": str(tmp_path), **env})
        lab = Lab(settings, LinePrinter(colour=False))
        for service in lab.services.values():
            argv = service.server_argv()
            assert argv[argv.index("--host") + 1] == host


def test_every_service_takes_many_connections_and_cuts_slow_headers(tmp_path: Path) -> None:
    settings = load_settings({"CUPCAKE_STATE_DIR": str(tmp_path)})
    lab = Lab(settings, LinePrinter(colour=False))
    for service in lab.services.values():
        argv = service.server_argv()
        assert argv[argv.index("--backpressure") + 1] == "4096"
        assert argv[argv.index("--http1-header-read-timeout") + 1] == "10000"
        assert int(argv[argv.index("--blocking-threads") + 1]) > 2 + 64  # at work + queued


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("127.0.0.1", "127.0.0.1,localhost,[::1]"),
        ("10.231.0.1", "127.0.0.1,localhost,[::1],10.231.0.1"),
        ("fd00::5", "127.0.0.1,localhost,[::1],[fd00::5]"),
        ("0.0.0.0", "127.0.0.1,localhost,[::1]"),
    ],
)
def test_bodies_accepts_the_host_the_lab_is_bound_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, host: str, allowed: str
) -> None:
    monkeypatch.delenv("DJANGO_ALLOWED_HOSTS", raising=False)
    settings = load_settings({"CUPCAKE_STATE_DIR": str(tmp_path), "CUPCAKE_HOST": host})
    bodies = next(spec for spec in SERVICES if spec.name == "bodies")
    assert service_env(settings, bodies, "token")["DJANGO_ALLOWED_HOSTS"] == allowed


def test_allowed_hosts_given_by_the_user_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "cupcakes.example")
    settings = load_settings({"CUPCAKE_STATE_DIR": str(tmp_path), "CUPCAKE_HOST": "10.0.0.1"})
    bodies = next(spec for spec in SERVICES if spec.name == "bodies")
    assert service_env(settings, bodies, "token")["DJANGO_ALLOWED_HOSTS"] == "cupcakes.example"


def test_each_service_has_its_default_threads(
    tmp_path: Path,
) -> None:
    settings = load_settings({"CUPCAKE_STATE_DIR": str(tmp_path)})
    assert dict(settings.threads) == {"toppings": 96, "frostings": 96, "bodies": 96}


def test_cupcake_threads_sets_the_threads_of_every_service(tmp_path: Path) -> None:
    settings = load_settings({"CUPCAKE_STATE_DIR": str(tmp_path), "CUPCAKE_THREADS": "5"})
    assert set(settings.threads.values()) == {5}
    with pytest.raises(SystemExit, match="CUPCAKE_THREADS"):
        load_settings({"CUPCAKE_STATE_DIR": str(tmp_path), "CUPCAKE_THREADS": "0"})


def test_log_files_rotate_at_10_mib_keeping_5_by_default(tmp_path: Path) -> None:
    rotation = load_settings({"CUPCAKE_STATE_DIR": str(tmp_path)}).log_rotation
    assert (rotation.max_bytes, rotation.backups) == (10 * 2**20, 5)


def test_log_rotation_is_set_by_the_environment(tmp_path: Path) -> None:
    env = {"CUPCAKE_STATE_DIR": str(tmp_path), "CUPCAKE_LOG_MAX_BYTES": "200000"}
    rotation = load_settings({**env, "CUPCAKE_LOG_BACKUPS": "2"}).log_rotation
    assert (rotation.max_bytes, rotation.backups) == (200_000, 2)


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("CUPCAKE_LOG_MAX_BYTES", "10M"),
        ("CUPCAKE_LOG_MAX_BYTES", "100"),
        ("CUPCAKE_LOG_BACKUPS", "0"),
    ],
)
def test_a_bad_log_rotation_is_refused_with_a_clear_message(
    tmp_path: Path, name: str, raw: str
) -> None:
    with pytest.raises(SystemExit, match=f"{name} must be a whole number of at least"):
        load_settings({"CUPCAKE_STATE_DIR": str(tmp_path), name: raw})
