"""The bearer token: parsing, constant-time comparison, the security policy."""

from __future__ import annotations

import pytest
from pyramid.request import Request

from toppings.security import ADMIN, EDIT, BearerTokenSecurityPolicy


def _request(authorization: str | None) -> Request:
    headers = {"Authorization": authorization} if authorization else {}
    return Request.blank("/", headers=headers)


def test_the_policy_lets_the_token_holder_edit() -> None:
    policy = BearerTokenSecurityPolicy(admin_token="s3cret")
    request = _request("Bearer s3cret")
    assert policy.identity(request) == ADMIN
    assert policy.permits(request, None, EDIT)


@pytest.mark.parametrize("authorization", [None, "Bearer wrong", "Basic s3cret"])
def test_the_policy_refuses_anyone_else(authorization: str | None) -> None:
    policy = BearerTokenSecurityPolicy(admin_token="s3cret")
    request = _request(authorization)
    assert policy.identity(request) is None
    assert not policy.permits(request, None, EDIT)


def test_without_a_configured_token_nobody_may_edit() -> None:
    policy = BearerTokenSecurityPolicy(admin_token=None)
    assert not policy.permits(_request("Bearer "), None, EDIT)
    assert not policy.permits(_request("Bearer None"), None, EDIT)


def test_the_token_is_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    compared: list[tuple[bytes, bytes]] = []

    def compare_digest(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return a == b

    monkeypatch.setattr("hmac.compare_digest", compare_digest)
    policy = BearerTokenSecurityPolicy(admin_token="s3cret")

    assert policy.identity(Request.blank("/", headers={"Authorization": "Bearer guess"})) is None
    assert compared == [(b"guess", b"s3cret")]
