"""The admin bearer token: constant-time check, 401 when missing or wrong, 403 when unset."""

import pytest
from django.test import RequestFactory
from pytest_django import Settings

from bodies.core.auth import AdminToken
from bodies.core.problems import Forbidden, Unauthorized

pytestmark = pytest.mark.unit


def test_the_right_token_lets_a_write_through(rf: RequestFactory, admin_token: str) -> None:
    request = rf.post("/", headers={"Authorization": f"Bearer {admin_token}"})

    assert AdminToken()(request) == "admin"


@pytest.mark.parametrize("authorization", [None, "Bearer wrong", "Basic abc"])
def test_a_missing_or_wrong_token_is_unauthorized(
    rf: RequestFactory, admin_token: str, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}

    with pytest.raises(Unauthorized):
        AdminToken()(rf.post("/", headers=headers))


def test_writes_are_forbidden_while_no_token_is_configured(
    rf: RequestFactory, settings: Settings
) -> None:
    settings.CUPCAKE_ADMIN_TOKEN = None

    with pytest.raises(Forbidden):
        AdminToken()(rf.post("/", headers={"Authorization": "Bearer anything"}))


def test_the_token_is_compared_in_constant_time(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    compared: list[tuple[bytes, bytes]] = []

    def compare_digest(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return a == b

    monkeypatch.setattr("hmac.compare_digest", compare_digest)
    settings.CUPCAKE_ADMIN_TOKEN = "s3cret"
    request = RequestFactory().post("/", headers={"Authorization": "Bearer guess"})

    with pytest.raises(Unauthorized):
        AdminToken()(request)

    assert compared == [(b"guess", b"s3cret")]
