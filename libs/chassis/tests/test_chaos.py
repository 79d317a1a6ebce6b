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
        "latency_ms": 0, "error_rate": 0.0, "down": False, "expires_in_s": None,
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
        {"down": True, "expires_in_s": 0},
        {"down": True, "expires_in_s": -1},
        {"down": True, "expires_in_s": 3600.5},
        {"down": True, "expires_in_s": "10"},
        {"down": True, "expires_in_s": True},
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


def test_chaos_with_an_expiry_ends_by_itself_and_says_what_is_left(
    service: httpx.Client, clock: ManualClock
) -> None:
    put = service.put("/_chaos", json={"down": True, "expires_in_s": 10}, headers=TOKEN)
    assert put.json() == {"latency_ms": 0, "error_rate": 0.0, "down": True, "expires_in_s": 10}

    clock.advance(6.55)
    assert service.get("/").status_code == 503
    assert service.get("/_chaos", headers=TOKEN).json()["expires_in_s"] == 3.5

    clock.advance(3.45)
    assert service.get("/").status_code == 200
    assert service.get("/_chaos", headers=TOKEN).json() == {
        "latency_ms": 0, "error_rate": 0.0, "down": False, "expires_in_s": None,
    }  # fmt: skip


def test_chaos_set_again_before_its_expiry_lasts_from_then(
    service: httpx.Client, clock: ManualClock
) -> None:
    service.put("/_chaos", json={"latency_ms": 50, "expires_in_s": 2}, headers=TOKEN)
    clock.advance(1.5)
    renewed = service.put("/_chaos", json={"latency_ms": 50, "expires_in_s": 2}, headers=TOKEN)
    assert renewed.json()["expires_in_s"] == 2
    clock.advance(1.5)
    assert service.get("/_chaos", headers=TOKEN).json()["latency_ms"] == 50


def test_chaos_without_an_expiry_stays(service: httpx.Client, clock: ManualClock) -> None:
    service.put("/_chaos", json={"error_rate": 1, "expires_in_s": None}, headers=TOKEN)
    clock.advance(3600 * 24)
    assert service.get("/").status_code == 500
    assert service.get("/_chaos", headers=TOKEN).json()["expires_in_s"] is None


def test_an_expiry_is_kept_as_a_wall_clock_end_every_process_shares(
    tmp_path: Path, clock: ManualClock
) -> None:
    writer = ChaosFile(tmp_path / "c.json", clock=clock)
    writer.write(ChaosSettings(down=True, expires_in_s=30))
    clock.advance(10)
    started_later = ChaosFile(tmp_path / "c.json", clock=clock)
    assert started_later.read() == ChaosSettings(down=True, expires_in_s=20)
    clock.advance(20)
    assert started_later.read() == ChaosSettings()


def test_an_expiry_without_a_fault_is_no_expiry(service: httpx.Client) -> None:
    answer = service.put("/_chaos", json={"expires_in_s": 5}, headers=TOKEN)
    assert answer.json()["expires_in_s"] is None


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
