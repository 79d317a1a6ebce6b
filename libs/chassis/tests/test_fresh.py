"""Fresh answers kept parsed in memory, by the HTTP cache's own rule."""

from __future__ import annotations

from email.utils import formatdate

import httpx
import pytest

from cupcake_chassis.fresh import FreshStore, fresh_until
from cupcake_chassis.upstream import ResilientUpstream
from cupcake_testing.clock import ManualClock

from .conftest import ScriptedUpstream

NOW = 1_800_000_000.0  # a whole second: HTTP dates have no fractions


def headers(cache_control: str, *, age: float = 0, **extra: str) -> httpx.Headers:
    """Answer headers with ``cache_control`` and a Date ``age`` seconds before ``NOW``."""
    date = formatdate(NOW - age, usegmt=True)
    return httpx.Headers({"Cache-Control": cache_control, "Date": date, **extra})


def test_an_answer_is_fresh_until_its_date_plus_max_age() -> None:
    assert fresh_until(headers("public, max-age=5, stale-if-error=300", age=2)) == NOW - 2 + 5


@pytest.mark.parametrize(
    "answer",
    [
        headers("no-store, max-age=5"),
        headers("max-age=5, no-cache"),
        headers("public, stale-if-error=300"),
        headers("max-age=5", Vary="Accept"),
        httpx.Headers({"Cache-Control": "max-age=5"}),
    ],
)
def test_what_the_rule_does_not_plainly_cover_is_left_to_the_http_cache(
    answer: httpx.Headers,
) -> None:
    assert fresh_until(answer) is None


def test_a_kept_answer_is_served_while_fresh_and_then_no_more() -> None:
    clock = ManualClock(start=NOW)
    store = FreshStore(clock=clock)
    store.keep("/a", data={"items": []}, headers=headers("max-age=5"))

    clock.advance(4.9)
    assert store.get("/a") == ({"items": []}, 200)
    clock.advance(0.1)
    assert store.get("/a") is None


def test_an_answer_already_expired_is_not_kept_and_replaces_the_one_kept() -> None:
    store = FreshStore(clock=ManualClock(start=NOW))
    store.keep("/a", data="old", headers=headers("max-age=60"))

    store.keep("/a", data="new", headers=headers("max-age=1", age=5))

    assert store.get("/a") is None


def test_the_oldest_answers_leave_when_it_is_full() -> None:
    store = FreshStore(max_entries=2, clock=ManualClock(start=NOW))
    for url in ("/a", "/b", "/c"):
        store.keep(url, data=url, headers=headers("max-age=60"))

    assert store.get("/a") is None and store.get("/c") == ("/c", 200)


def test_an_answer_older_than_its_max_age_is_not_served_from_memory(
    upstream: ScriptedUpstream, clock: ManualClock
) -> None:
    def generated_long_ago(request: httpx.Request) -> httpx.Response:
        answer = upstream.catalogue(request)
        answer.headers["Date"] = formatdate(clock.time() - 10, usegmt=True)
        return answer

    upstream.behaviour = generated_long_ago
    toppings = ResilientUpstream(
        "toppings", "http://toppings.test", transport=upstream.transport(), clock=clock
    )
    toppings.get("/api/v1/toppings")

    again = toppings.get("/api/v1/toppings")

    assert again.call.cache != "hit" and len(upstream.requests) == 2


def test_a_fresh_hit_is_the_same_data_without_asking_anyone(upstream: ScriptedUpstream) -> None:
    toppings = ResilientUpstream("toppings", "http://toppings.test", transport=upstream.transport())
    first = toppings.get("/api/v1/toppings")
    upstream.behaviour = lambda request: pytest.fail("the upstream was asked")

    again = toppings.get("/api/v1/toppings")

    assert again.call.cache == "hit" and again.call.attempts == 1 and again.call.error is None
    assert again.data == first.data and again.status_code == 200


def test_fresh_answers_what_get_would_from_memory_and_nothing_else(
    upstream: ScriptedUpstream,
) -> None:
    toppings = ResilientUpstream("toppings", "http://toppings.test", transport=upstream.transport())
    assert toppings.fresh("/api/v1/toppings") is None
    assert upstream.requests == []
    toppings.get("/api/v1/toppings")

    answer = toppings.fresh("/api/v1/toppings")

    assert answer is not None and answer.call.cache == "hit" and not answer.stale
    assert answer.data == {"items": [{"slug": "cherry"}]} and len(upstream.requests) == 1
