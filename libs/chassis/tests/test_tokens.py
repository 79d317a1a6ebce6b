"""The admin bearer token: read from the header, compared in constant time."""

from __future__ import annotations

import pytest

from cupcake_chassis.tokens import bearer_token, token_matches


@pytest.mark.parametrize(
    ("header", "token"),
    [
        ("Bearer s3cret", "s3cret"),
        ("bearer s3cret", "s3cret"),
        ("  Bearer   s3cret  ", "s3cret"),
        ("Bearer a b", "a b"),
        (None, None),
        ("", None),
        ("Bearer", None),
        ("Bearer   ", None),
        ("Basic YWRtaW46YWRtaW4=", None),
        ("abc", None),
    ],
)
def test_the_token_is_read_from_a_bearer_authorization(
    header: str | None, token: str | None
) -> None:
    assert bearer_token(header) == token


@pytest.mark.parametrize("token", ["s3cret", "gâteau"])
def test_equal_tokens_match(token: str) -> None:
    assert token_matches(presented=token, expected=token)


def test_tokens_are_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    compared: list[tuple[bytes, bytes]] = []

    def compare_digest(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return a == b

    monkeypatch.setattr("hmac.compare_digest", compare_digest)

    assert not token_matches(presented="guess", expected="s3cret")
    assert compared == [(b"guess", b"s3cret")]


@pytest.mark.parametrize("presented", ["s3cre", "s3crets", "S3CRET", "", None, "sécret", "gateau"])
def test_other_tokens_do_not_match(presented: str | None) -> None:
    assert not token_matches(presented=presented, expected="s3cret")


@pytest.mark.parametrize("expected", ["", None])
def test_nothing_matches_when_no_token_is_configured(expected: str | None) -> None:
    assert not token_matches(presented="", expected=expected)
    assert not token_matches(presented="anything", expected=expected)
