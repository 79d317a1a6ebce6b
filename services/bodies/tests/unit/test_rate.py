"""The bake rate setting, and who the client is for the rate limit."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from bodies.assembler.rate_limit import client_address
from bodies.config.rate import Rate, rate_parse

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("raw", "rate"),
    [
        ("60/minute", Rate(count=60, period=60.0)),
        (" 5 / second ", Rate(count=5, period=1.0)),
        ("1000/hour", Rate(count=1000, period=3600.0)),
        ("off", None),
        ("OFF", None),
    ],
)
def test_a_rate_is_a_count_per_period_or_off(raw: str, rate: Rate | None) -> None:
    assert rate_parse(raw, name="BAKE_RATE_LIMIT") == rate


@pytest.mark.parametrize("raw", ["", "60", "0/minute", "60/day", "-1/minute", "1.5/second"])
def test_anything_else_stops_the_service(raw: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="BAKE_RATE_LIMIT"):
        rate_parse(raw, name="BAKE_RATE_LIMIT")


def test_a_rate_refills_evenly_and_reads_as_written() -> None:
    rate = Rate(count=60, period=60.0)

    assert rate.per_second == 1.0
    assert str(rate) == "60/minute"


FORWARDED = "203.0.113.7, 198.51.100.2, 10.0.0.5"


@pytest.mark.parametrize(
    ("hops", "forwarded", "client"),
    [
        (0, FORWARDED, "192.0.2.1"),  # no proxy trusted: X-Forwarded-For could be anything
        (1, FORWARDED, "10.0.0.5"),
        (2, FORWARDED, "198.51.100.2"),
        (3, FORWARDED, "203.0.113.7"),
        (5, FORWARDED, "203.0.113.7"),
        (1, "", "192.0.2.1"),
    ],
)
def test_the_client_is_the_connection_unless_proxies_are_trusted(
    hops: int, forwarded: str, client: str
) -> None:
    request = RequestFactory().post(
        "/api/v1/cupcakes", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=forwarded
    )

    assert client_address(request, proxy_hops=hops) == client
