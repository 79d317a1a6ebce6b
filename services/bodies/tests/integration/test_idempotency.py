"""Idempotency-Key on POST /api/v1/cupcakes: replays, reuse, retries after a 503, races."""

import json
import threading
from typing import Any

import httpx
import pytest
from django.db import connections
from django.test import Client

from fakes import FakePeers
from integration.helpers import CUPCAKE, bake, problem_of, stored_counts

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("fake_peers")]


def test_the_same_key_and_payload_replay_the_first_answer(client: Client) -> None:
    first = bake(client, key="order-1")

    again = bake(client, key="order-1")

    assert again.status_code == first.status_code == 201
    assert again.content == first.content
    assert again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true"
    assert not first.has_header("Idempotent-Replayed")
    assert stored_counts() == (1, 1)


def test_the_same_payload_spelled_differently_is_the_same_request(client: Client) -> None:
    first = bake(client, key="order-1")
    spelled = json.dumps(dict(reversed(list(CUPCAKE.items()))), indent=2)

    again = client.post(
        "/api/v1/cupcakes",
        spelled,
        content_type="application/json; charset=utf-8",
        headers={"Idempotency-Key": "order-1"},
    )

    assert again.status_code == 201
    assert again.content == first.content


@pytest.mark.parametrize("other", [{**CUPCAKE, "topping": "flag"}, {**CUPCAKE, "name": "Another"}])
def test_the_same_key_with_another_payload_is_422_and_saves_nothing_more(
    client: Client, other: dict[str, str]
) -> None:
    bake(client, key="order-1")

    problem = problem_of(bake(client, other, key="order-1"), 422)

    assert problem["type"] == "urn:cupcake-lab:problem:idempotency-key-reused"
    assert stored_counts() == (1, 1)


def test_without_a_key_each_bake_is_a_new_cupcake(client: Client) -> None:
    first, second = bake(client), bake(client)

    assert first.json()["id"] != second.json()["id"]
    assert stored_counts() == (2, 0)


def test_a_refusal_is_kept_with_its_key_and_replayed(client: Client, fake_peers: FakePeers) -> None:
    forbidden = {**CUPCAKE, "topping": "sprinkles"}
    first = bake(client, forbidden, key="order-1")
    fake_peers.frosting_change("strawberry", toppings=["cherry", "flag", "sprinkles"])

    again = bake(client, forbidden, key="order-1")

    assert again.status_code == first.status_code == 422
    assert again["Content-Type"] == "application/problem+json"
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert stored_counts() == (0, 1)


def test_a_503_is_not_kept_so_a_retry_after_recovery_bakes_exactly_once(
    client: Client, fake_peers: FakePeers
) -> None:
    fake_peers.set("frostings", "down")
    refused = bake(client, key="order-1")
    assert refused.status_code == 503
    assert stored_counts() == (0, 0)
    fake_peers.set("frostings", "ok")

    retried = bake(client, key="order-1")
    retried_again = bake(client, key="order-1")

    assert retried.status_code == retried_again.status_code == 201
    assert retried_again.content == retried.content
    assert stored_counts() == (1, 1)


@pytest.mark.parametrize("key", ["", "x" * 256, "clé", "tab\there", "bell\x07", "new\x7fline"])
def test_a_malformed_idempotency_key_is_400_and_saves_nothing(client: Client, key: str) -> None:
    problem = problem_of(bake(client, key=key), 400)

    assert "Idempotency-Key" in problem["detail"]
    assert stored_counts() == (0, 0)


@pytest.mark.parametrize("key", ["x" * 255, "~ !\"#$%&'()*+,-./:;<=>?@[]^_`{|}", "a"])
def test_any_key_of_1_to_255_printable_characters_is_taken(client: Client, key: str) -> None:
    assert bake(client, key=key).status_code == 201
    assert bake(client, key=key)["Idempotent-Replayed"] == "true"


def test_two_bakes_with_one_key_at_the_same_time_make_one_cupcake(
    database: None, fake_peers: FakePeers
) -> None:
    # Both requests must be past the replay lookup before either one saves: they meet
    # in the call that asks frostings about the frosting.
    meeting = threading.Barrier(2, timeout=5)

    def meet(request: httpx.Request) -> None:
        if request.url.path == "/api/v1/frostings/strawberry":
            meeting.wait()

    fake_peers.before = meet
    answers: list[Any] = []

    def bake_in_a_thread() -> None:
        try:
            answers.append(bake(Client(), key="raced"))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=bake_in_a_thread) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    assert [answer.status_code for answer in answers] == [201, 201]
    assert answers[0].content == answers[1].content
    assert sorted(answer.has_header("Idempotent-Replayed") for answer in answers) == [False, True]
    assert stored_counts() == (1, 1)
