"""Chaos from inside: controlled by token, shared through a file, applied to every request."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import httpx
import pytest

from cupcake_chassis.chaos import ChaosFile, ChaosSettings, chaos_wrap
from cupcake_chassis.problems import StartResponse
from cupcake_testing.clock import ManualClock

TOKEN = {"Authorization": "Bearer chaos-token"}


def hello(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    """The service under chaos: always fine on its own."""
    start_response("200 OK", [("Content-Type", "application/json")])
    return [b'{"hello": "world"}']


@pytest.fixture
def service(tmp_path: Path, clock: ManualClock) -> httpx.Client:
    """A client of ``hello`` with chaos enabled, its latency slept on ``clock``."""
    app = chaos_wrap(
        hello,
        service="toppings",
        state_dir=tmp_path,
        enabled=True,
        token="chaos-token",
        clock=clock,
    )
    return httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://svc.test")


def test_chaos_is_off_until_asked_for(service: httpx.Client) -> None:
    assert service.get("/").json() == {"hello": "world"}
    assert service.get("/_chaos", headers=TOKEN).json() == {
        "latency_ms": 0, "error_rate": 0.0, "down": False,
    }  # fmt: skip


def test_down_mode_answers_503_with_retry_after_until_reset(service: httpx.Client) -> None:
    assert service.put("/_chaos", json={"down": True}, headers=TOKEN).status_code == 200
    down = service.get("/healthz")
    assert down.status_code == 503 and down.headers["retry-after"] == "1"
    assert down.json()["type"] == "urn:cupcake-lab:problem:chaos"
    assert service.delete("/_chaos", headers=TOKEN).status_code == 200
    assert service.get("/").status_code == 200


def test_an_error_rate_of_one_fails_every_request(service: httpx.Client) -> None:
    service.put("/_chaos", json={"error_rate": 1}, headers=TOKEN)
    assert {service.get("/").status_code for _ in range(5)} == {500}


def test_latency_delays_every_request(service: httpx.Client, clock: ManualClock) -> None:
    service.put("/_chaos", json={"latency_ms": 60}, headers=TOKEN)
    started = clock.monotonic()
    assert service.get("/").status_code == 200
    assert service.get("/").status_code == 200
    assert clock.monotonic() - started == pytest.approx(0.12)


def test_chaos_needs_the_token(service: httpx.Client) -> None:
    assert service.get("/_chaos").status_code == 401
    wrong = service.put("/_chaos", json={"down": True}, headers={"Authorization": "Bearer no"})
    assert wrong.status_code == 401
    assert service.get("/").status_code == 200


def test_chaos_compares_the_token_in_constant_time(
    service: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    compared: list[tuple[bytes, bytes]] = []

    def compare_digest(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return a == b

    monkeypatch.setattr("hmac.compare_digest", compare_digest)

    assert service.get("/_chaos", headers={"Authorization": "Bearer guess"}).status_code == 401
    assert compared == [(b"Bearer guess", b"Bearer chaos-token")]


def test_an_over_sized_chaos_body_is_a_413_problem(service: httpx.Client) -> None:
    answer = service.put("/_chaos", json={"latency_ms": 1, "pad": "x" * 5000}, headers=TOKEN)

    assert answer.status_code == 413
    assert answer.headers["content-type"] == "application/problem+json"
    assert service.get("/").status_code == 200


@pytest.mark.parametrize("token", [None, ""])
def test_chaos_is_disabled_while_no_token_is_configured(tmp_path: Path, token: str | None) -> None:
    app = chaos_wrap(hello, service="toppings", state_dir=tmp_path, enabled=True, token=token)
    client = httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://svc.test")

    for headers in ({}, {"Authorization": "Bearer "}, {"Authorization": "Bearer x"}):
        answer = client.put("/_chaos", json={"down": True}, headers=headers)
        assert answer.status_code == 403
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"latency_ms": -1},
        {"latency_ms": 1.5},
        {"error_rate": 2},
        {"down": "yes"},
        {"dwn": True},
        [],
    ],
)
def test_bad_settings_are_refused_and_change_nothing(service: httpx.Client, body: Any) -> None:
    answer = service.put("/_chaos", json=body, headers=TOKEN)
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    assert service.get("/").status_code == 200


def test_malformed_json_is_a_400(service: httpx.Client) -> None:
    answer = service.put(
        "/_chaos", content=b"{", headers={**TOKEN, "Content-Type": "application/json"}
    )
    assert answer.status_code == 400


def test_settings_are_shared_through_the_file(tmp_path: Path) -> None:
    writer, reader = ChaosFile(tmp_path / "c.json"), ChaosFile(tmp_path / "c.json")
    assert reader.read() == ChaosSettings()
    writer.write(ChaosSettings(latency_ms=5, error_rate=0.5, down=False))
    assert reader.read() == ChaosSettings(latency_ms=5, error_rate=0.5, down=False)


def test_without_chaos_enabled_the_app_is_untouched(tmp_path: Path) -> None:
    assert chaos_wrap(hello, service="x", state_dir=tmp_path, enabled=False, token="t") is hello


def test_exempt_paths_are_never_faulted(tmp_path: Path) -> None:
    app = chaos_wrap(hello, service="bodies", state_dir=tmp_path, enabled=True, token="chaos-token",
                     exempt=("/api/v1/lab/chaos",))  # fmt: skip
    service = httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://svc.test")
    service.put("/_chaos", json={"down": True}, headers=TOKEN)
    assert service.get("/api/v1/lab/chaos").status_code == 200
    assert service.get("/").status_code == 503


def test_exact_exemptions_spare_only_that_path(tmp_path: Path) -> None:
    app = chaos_wrap(hello, service="bodies", state_dir=tmp_path, enabled=True, token="chaos-token",
                     exempt=("/static/",), exempt_exact=("/",))  # fmt: skip
    service = httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://svc.test")
    service.put("/_chaos", json={"down": True}, headers=TOKEN)
    assert service.get("/").status_code == 200
    assert service.get("/static/lab.css").status_code == 200
    assert service.get("/api/v1/cupcake").status_code == 503
