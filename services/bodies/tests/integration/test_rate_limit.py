"""Baking is public, so it is bounded: a rate per client, 429 with Retry-After beyond it."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import close_old_connections
from django.test import Client
from pytest_django import Settings

from bodies.assembler.models import BakeAllowance
from bodies.assembler.rate_limit import TooManyRequests, bake_allowance_take
from bodies.config.rate import Rate
from cupcake_testing.clock import ManualClock
from fakes import FakePeers
from integration.helpers import bake, problem_of, stored_counts

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("fake_peers")]

THREE_A_MINUTE = Rate(count=3, period=60.0)


@pytest.fixture
def limited(settings: Settings) -> Rate:
    """Three bakes a minute per client."""
    settings.BAKE_RATE_LIMIT = THREE_A_MINUTE
    return THREE_A_MINUTE


def test_a_client_over_the_rate_gets_429_with_retry_after_and_nothing_baked(
    client: Client, limited: Rate
) -> None:
    assert [bake(client).status_code for _ in range(3)] == [201, 201, 201]

    response = bake(client, key="over-the-limit")

    problem = problem_of(response, 429)
    assert problem["type"] == "urn:cupcake-lab:problem:rate-limited"
    assert "3/minute" in problem["detail"]
    # One bake comes back every 20 s.
    assert 1 <= int(response["Retry-After"]) <= 20
    assert stored_counts() == (3, 0)


def test_a_resent_bake_is_replayed_even_when_the_client_is_over_the_rate(
    client: Client, limited: Rate
) -> None:
    first = bake(client, key="resent-after-a-lost-answer")
    assert [bake(client).status_code for _ in range(2)] == [201, 201]
    assert bake(client).status_code == 429

    again = bake(client, key="resent-after-a-lost-answer")

    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.content == first.content
    assert stored_counts() == (3, 1)


def test_the_rate_is_per_client(client: Client, limited: Rate) -> None:
    for _ in range(3):
        bake(client)

    assert bake(client).status_code == 429
    assert bake(client, REMOTE_ADDR="198.51.100.9").status_code == 201


def test_the_rate_is_off_when_configured_so(client: Client, settings: Settings) -> None:
    settings.BAKE_RATE_LIMIT = None

    assert {bake(client).status_code for _ in range(8)} == {201}
    assert not BakeAllowance.objects.exists()


def test_the_default_rate_lets_a_lively_visitor_bake(client: Client) -> None:
    assert {bake(client).status_code for _ in range(30)} == {201}


def test_a_used_allowance_comes_back_with_time(database: None) -> None:
    rate = Rate(count=2, period=10.0)
    for _ in range(2):
        bake_allowance_take(client="c", rate=rate, now=1000.0)
    with pytest.raises(TooManyRequests) as refused:
        bake_allowance_take(client="c", rate=rate, now=1001.0)

    assert refused.value.headers == {"Retry-After": "4"}
    bake_allowance_take(client="c", rate=rate, now=1005.0)
    with pytest.raises(TooManyRequests):
        bake_allowance_take(client="c", rate=rate, now=1005.1)


def test_buckets_of_clients_gone_quiet_are_forgotten(database: None) -> None:
    rate = Rate(count=2, period=10.0)
    bake_allowance_take(client="old", rate=rate, now=1000.0)
    bake_allowance_take(client="new", rate=rate, now=1020.0)

    assert list(BakeAllowance.objects.values_list("client", flat=True)) == ["new"]


def test_concurrent_bakes_of_one_client_are_counted_exactly(database: None) -> None:
    rate = Rate(count=5, period=3600.0)

    def take() -> bool:
        try:
            bake_allowance_take(client="busy", rate=rate)
            return True
        except TooManyRequests:
            return False
        finally:
            close_old_connections()

    with ThreadPoolExecutor(max_workers=6) as pool:
        allowed = list(pool.map(lambda _: take(), range(20)))

    assert allowed.count(True) == 5


def test_the_openapi_document_declares_the_429(client: Client) -> None:
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/cupcakes"]["post"]

    answer = operation["responses"]["429"]
    assert "Retry-After" in answer["headers"]
    assert "application/problem+json" in answer["content"]


def test_a_refused_bake_is_quick(
    client: Client, limited: Rate, fake_peers: FakePeers, clock: ManualClock
) -> None:
    for _ in range(3):
        bake(client)
    # Peers that would cost a whole time-out each, were they asked.
    fake_peers.set("frostings", "stall")
    fake_peers.set("toppings", "stall")
    asked = len(fake_peers.requests)
    started = clock.monotonic()

    assert bake(client).status_code == 429

    assert fake_peers.requests[asked:] == []
    assert clock.monotonic() == started
