"""Baking while a rule owner is down: 503 and nothing saved; once back, exactly once."""

from __future__ import annotations

import uuid

import httpx

from tests.e2e.conftest import RunningLab, wait_until

from .conftest import ReachableLab

CUPCAKE = {"body": "vanilla", "frosting": "strawberry", "topping": "cherry", "name": "Retry me"}


def gallery_total(lab: ReachableLab) -> int:
    """How many cupcakes the gallery holds."""
    answer = httpx.get(f"{lab.urls['bodies']}/api/v1/cupcakes", timeout=5)
    return int(answer.json()["total"])


def bake(lab: ReachableLab, payload: dict[str, str], key: str) -> httpx.Response:
    """POST a cupcake with an Idempotency-Key."""
    return httpx.post(
        f"{lab.urls['bodies']}/api/v1/cupcakes",
        json=payload,
        headers={"Idempotency-Key": key},
        timeout=10,
    )


def test_a_bake_with_a_rule_owner_down_is_503_then_created_exactly_once(lab: RunningLab) -> None:
    before = gallery_total(lab)
    key = str(uuid.uuid4())
    assert lab.cli("kill", "toppings").returncode == 0
    try:
        refused = bake(lab, CUPCAKE, key)
        assert refused.status_code == 503
        assert int(refused.headers["retry-after"]) > 0
        assert refused.headers["content-type"] == "application/problem+json"
        assert gallery_total(lab) == before
        forbidden = bake(lab, {**CUPCAKE, "topping": "sprinkles"}, str(uuid.uuid4()))
        assert forbidden.status_code in (422, 503)
        assert gallery_total(lab) == before
    finally:
        assert lab.cli("start", "toppings").returncode == 0
    wait_until(lambda: bake(lab, CUPCAKE, key).status_code == 201, timeout=15)
    replay = bake(lab, CUPCAKE, key)
    assert replay.status_code == 201 and replay.headers["idempotent-replayed"] == "true"
    assert gallery_total(lab) == before + 1


def test_a_bake_with_frostings_down_saves_nothing(lab: RunningLab) -> None:
    before = gallery_total(lab)
    assert lab.cli("kill", "frostings").returncode == 0
    try:
        refused = bake(lab, CUPCAKE, str(uuid.uuid4()))
        assert refused.status_code == 503 and "retry-after" in refused.headers
        assert gallery_total(lab) == before
    finally:
        assert lab.cli("start", "frostings").returncode == 0
