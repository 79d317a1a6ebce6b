"""Secure by default: the service's real settings module, read in a fresh process per case."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bodies.config.secret_key import SECRET_KEY_FILE_NAME

pytestmark = pytest.mark.unit

SHOWN = (
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_PROXY_SSL_HEADER",
    "X_FRAME_OPTIONS",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "CORS_ALLOWED_ORIGINS",
    "PAGE_IMAGE_ORIGINS",
    "CUPCAKE_ADMIN_TOKEN",
)
SHOW_SETTINGS = f"""
import json
from django.conf import settings
print(json.dumps({{name: getattr(settings, name) for name in {SHOWN!r}}}))
"""


def clean_env(tmp_path: Path, **env: str) -> dict[str, str]:
    """The process environment without any of the service's settings, plus ``env``."""
    kept = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "CUPCAKE_", "CORS_", "PAGE_", "BAKE_"))
        and name not in ("PUBLIC_URL", "FROSTINGS_URL", "TOPPINGS_URL", "DATABASE_URL")
    }
    return {
        **kept,
        "DJANGO_SETTINGS_MODULE": "bodies.config.settings",
        "CUPCAKE_STATE_DIR": str(tmp_path / "state"),
        **env,
    }


def run_settings(tmp_path: Path, code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a new interpreter with the service's settings and ``env``."""
    return subprocess.run(
        [sys.executable, "-c", code],
        env=clean_env(tmp_path, **env),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def settings_with(tmp_path: Path, **env: str) -> dict[str, Any]:
    """The settings the service runs with under ``env`` (and nothing else configured)."""
    result = run_settings(tmp_path, SHOW_SETTINGS, **env)
    assert result.returncode == 0, result.stderr
    shown: dict[str, Any] = json.loads(result.stdout)
    return shown


def test_with_nothing_configured_the_service_is_locked_down(tmp_path: Path) -> None:
    shown = settings_with(tmp_path)

    assert shown["DEBUG"] is False
    assert shown["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost", "[::1]"]
    assert shown["X_FRAME_OPTIONS"] == "DENY"
    assert shown["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert shown["SECURE_REFERRER_POLICY"] == "same-origin"
    assert shown["SECURE_CROSS_ORIGIN_OPENER_POLICY"] == "same-origin"
    assert shown["CORS_ALLOWED_ORIGINS"] == []
    assert shown["CUPCAKE_ADMIN_TOKEN"] is None
    # Plain HTTP on loopback: no redirect to HTTPS and no HSTS, which would lock it out.
    assert shown["SECURE_SSL_REDIRECT"] is False
    assert shown["SECURE_HSTS_SECONDS"] == 0


def test_the_secret_key_is_made_once_into_the_state_dir_never_a_constant(tmp_path: Path) -> None:
    first = settings_with(tmp_path)["SECRET_KEY"]
    again = settings_with(tmp_path)["SECRET_KEY"]
    elsewhere = settings_with(tmp_path, CUPCAKE_STATE_DIR=str(tmp_path / "other"))["SECRET_KEY"]

    assert first == again == (tmp_path / "state" / SECRET_KEY_FILE_NAME).read_text()
    assert elsewhere != first
    assert len(first) >= 50


def test_the_secret_key_and_hosts_come_from_the_environment(tmp_path: Path) -> None:
    shown = settings_with(
        tmp_path,
        DJANGO_SECRET_KEY="from-the-environment-" + "k" * 40,
        DJANGO_ALLOWED_HOSTS="cupcakes.example, api.cupcakes.example",
    )

    assert shown["SECRET_KEY"] == "from-the-environment-" + "k" * 40
    assert shown["ALLOWED_HOSTS"] == ["cupcakes.example", "api.cupcakes.example"]
    assert not (tmp_path / "state" / SECRET_KEY_FILE_NAME).exists()


def test_debug_is_on_only_when_asked_for(tmp_path: Path) -> None:
    assert settings_with(tmp_path, DJANGO_DEBUG="1")["DEBUG"] is True
    assert settings_with(tmp_path, DJANGO_DEBUG="true")["DEBUG"] is False


def test_https_turns_on_the_redirect_hsts_and_secure_cookies(tmp_path: Path) -> None:
    shown = settings_with(tmp_path, DJANGO_HTTPS="1", DJANGO_BEHIND_TLS_PROXY="1")

    assert shown["SECURE_SSL_REDIRECT"] is True
    assert shown["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert shown["SESSION_COOKIE_SECURE"] is True
    assert shown["CSRF_COOKIE_SECURE"] is True
    assert shown["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def deploy_warnings(tmp_path: Path, **env: str) -> set[str]:
    """The ids of what ``manage.py check --deploy`` warns about under ``env``."""
    code = (
        "from bodies.manage import main; import sys; sys.argv = ['m', 'check', '--deploy']; main()"
    )
    result = run_settings(tmp_path, code, **env)
    return {word.strip(":()") for word in result.stderr.split() if word.startswith("(security.")}


def test_djangos_deployment_checks_pass_once_https_is_on(tmp_path: Path) -> None:
    plain = deploy_warnings(tmp_path)
    https = deploy_warnings(tmp_path, DJANGO_HTTPS="1")

    # Only what plain HTTP cannot have: HSTS, the redirect, secure cookies (the session's,
    # W010; the CSRF cookie's flag is asserted with the other settings above, as the check
    # looks for Django's middleware by its own path, not bodies.core.browser_only's).
    assert plain == {"security.W004", "security.W008", "security.W010"}
    # Left to the deployment: HSTS for subdomains and the preload list are commitments
    # about a whole domain, not about this service.
    assert https == {"security.W005", "security.W021"}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CORS_ALLOWED_ORIGINS", "*"),
        ("CORS_ALLOWED_ORIGINS", "cupcakes.example"),
        ("PAGE_IMAGE_ORIGINS", "https://img.example/path"),
        ("BAKE_RATE_LIMIT", "lots"),
        ("TRUSTED_PROXY_HOPS", "-1"),
    ],
)
def test_a_setting_that_would_open_the_service_stops_it_at_start_up(
    tmp_path: Path, name: str, value: str
) -> None:
    result = run_settings(tmp_path, SHOW_SETTINGS, **{name: value})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert name in result.stderr


def test_listed_origins_are_allowed_cors_and_image_origins(tmp_path: Path) -> None:
    shown = settings_with(
        tmp_path,
        CORS_ALLOWED_ORIGINS="https://Shop.example",
        FROSTINGS_URL="http://frostings.internal:5000",
        TOPPINGS_URL="http://toppings.internal:6500/",
    )
    listed = settings_with(tmp_path, PAGE_IMAGE_ORIGINS="https://img.example")

    assert shown["CORS_ALLOWED_ORIGINS"] == ["https://shop.example"]
    assert shown["PAGE_IMAGE_ORIGINS"] == [
        "http://127.0.0.1:8000",
        "http://frostings.internal:5000",
        "http://toppings.internal:6500",
    ]
    assert listed["PAGE_IMAGE_ORIGINS"] == ["https://img.example"]
