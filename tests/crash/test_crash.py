"""Durability with real processes: writes keep coming while a service is ``kill -9``-ed and
started again, several times; afterwards what was acknowledged is stored exactly once, and
nothing is stored that was not sent, nor that the rules forbid (see ``storm`` for what each
attempt's outcome allows)."""

from __future__ import annotations

import itertools
import random
import threading
import time
from collections import Counter
from typing import Any

import httpx

from tests.catalogue import BODIES, FROSTINGS, PAIRINGS, TOPPINGS
from tests.e2e.conftest import RunningLab, wait_until

from .conftest import FIGURES, launcher_act
from .storm import (
    ACKNOWLEDGED,
    IN_FLIGHT,
    NOT_SENT,
    Attempt,
    Storm,
    attempt_of,
    figures,
    outcomes_by_key,
)

ALLOWED = [
    (body, frosting, topping)
    for body, frosting, topping in itertools.product(BODIES, FROSTINGS, TOPPINGS)
    if body in PAIRINGS[frosting][0] and topping in PAIRINGS[frosting][1]
]
FORBIDDEN = [("carrot-cake", "neon-blue", "flag"), ("vanilla", "strawberry", "sprinkles")]
# Writes keep coming at least this long between two crashes.
SECONDS_BETWEEN_CRASHES = 1.0
# Bounds of the waits for a state: writes acknowledged again after a start (the service
# ready, its peers asked), and the storm meeting a crash (a write in flight or refused at
# connect). Generous: the machine may be busy.
WRITES_FLOW_WITHIN = 30.0
CRASH_MET_WITHIN = 10.0


def storms_saw(storms: list[Storm], marks: list[int], outcomes: set[str]) -> bool:
    """Whether every storm has had an attempt of one of ``outcomes`` since its mark."""
    return all(
        storm.outcomes_since(mark) & outcomes for storm, mark in zip(storms, marks, strict=True)
    )


def writes_flow(storms: list[Storm]) -> None:
    """Let the writes keep coming for a while, until every storm has had a write
    acknowledged since now: the services take writes again."""
    marks = [storm.mark() for storm in storms]
    started = time.monotonic()
    wait_until(lambda: storms_saw(storms, marks, {ACKNOWLEDGED}), timeout=WRITES_FLOW_WITHIN)
    time.sleep(max(0.0, SECONDS_BETWEEN_CRASHES - (time.monotonic() - started)))


def crash(lab: RunningLab, storms: list[Storm], services: list[str]) -> None:
    """Kill ``services`` together (``kill -9`` of each one's process group), and start them
    again once every storm has met the crash: a write lost in flight or refused at connect."""
    marks = [storm.mark() for storm in storms]
    for service in services:
        launcher_act(lab, service, "kill")
    wait_until(lambda: storms_saw(storms, marks, {IN_FLIGHT, NOT_SENT}), timeout=CRASH_MET_WITHIN)
    for service in services:
        launcher_act(lab, service, "start")


def storm_through_crashes(lab: RunningLab, storms: list[Storm], crashes: list[list[str]]) -> float:
    """Run ``storms`` through ``crashes``, each a list of services killed together and
    started again, each once writes flow; return the seconds it took."""
    started = time.monotonic()
    for storm in storms:
        storm.start()
    try:
        for services in crashes:
            writes_flow(storms)
            crash(lab, storms, services)
        writes_flow(storms)
    finally:
        for storm in storms:
            storm.stop()
    return round(time.monotonic() - started, 1)


class Bakes:
    """Bakes with an Idempotency-Key named after the cupcake; a fifth repeat an earlier key."""

    def __init__(self, lab: RunningLab, seed: int) -> None:
        self.url = f"{lab.urls['bodies']}/api/v1/cupcakes"
        self.rng = random.Random(seed)
        self.sent: dict[str, dict[str, str]] = {}
        self.lock = threading.Lock()

    def combo(self, key: str) -> tuple[str, str, str]:
        """The body, frosting and topping sent under ``key``."""
        sent = self.sent[key]
        return sent["body"], sent["frosting"], sent["topping"]

    def payload(self, key: str) -> dict[str, str]:
        """A new cupcake named ``key``: one in ten is a combination the rules forbid."""
        combos = FORBIDDEN if self.rng.random() < 0.1 else ALLOWED
        body, frosting, topping = self.rng.choice(combos)
        return {"body": body, "frosting": frosting, "topping": topping, "name": key}

    def __call__(self, client: httpx.Client, number: int) -> Attempt:
        """Send the next bake: a new key, or the same key and payload again."""
        with self.lock:
            if self.sent and self.rng.random() < 0.2:
                key = self.rng.choice(list(self.sent))
            else:
                key = f"crash-{number}"
                self.sent[key] = self.payload(key)
            payload = self.sent[key]
        return self.send(client, key, payload)

    def send(self, client: httpx.Client, key: str, payload: dict[str, str]) -> Attempt:
        """POST one bake."""
        headers = {"Idempotency-Key": key}
        return attempt_of(key, lambda: client.post(self.url, json=payload, headers=headers))


def gallery(lab: RunningLab) -> list[dict[str, Any]]:
    """Every cupcake of the gallery, page after page."""
    items: list[dict[str, Any]] = []
    url: str | None = f"{lab.urls['bodies']}/api/v1/cupcakes?page=1&page_size=50"
    while url:
        page = httpx.get(url, timeout=10).json()
        items += page["items"]
        url = page["next"]
    return items


def retry_until_answered(bakes: Bakes, key: str) -> Attempt:
    """What a client does after losing an answer: send the same key again until answered
    (for up to 15 s)."""
    ends = time.monotonic() + 15
    with httpx.Client(timeout=10) as client:
        while time.monotonic() < ends:
            attempt = bakes.send(client, key, bakes.sent[key])
            if attempt.status is not None:
                return attempt
            time.sleep(0.25)
    raise AssertionError(f"{key} not answered within 15 s")


def test_every_acknowledged_bake_survives_kill_9_exactly_once(lab: RunningLab) -> None:
    bakes = Bakes(lab, seed=6)
    storm = Storm(bakes, threads=6)
    seconds = storm_through_crashes(lab, [storm], [["bodies"]] * 3)
    attempts = storm.attempts
    assert not [a for a in attempts if a.status is not None and a.status >= 500 and a.status != 503]

    stored = gallery(lab)
    names = Counter(item["name"] for item in stored)  # the lab's gallery was empty
    by_name = {item["name"]: item for item in stored}
    outcomes = outcomes_by_key(attempts)
    acknowledged = {key for key, seen in outcomes.items() if ACKNOWLEDGED in seen}
    may_exist = acknowledged | {key for key, seen in outcomes.items() if IN_FLIGHT in seen}
    FIGURES["bodies: bakes"] = {**figures(attempts, set(names)), "seconds": seconds}

    assert {o for seen in outcomes.values() for o in seen} & {IN_FLIGHT, NOT_SENT}, "no crash hit"
    assert [name for name, count in names.items() if count > 1] == []
    assert acknowledged <= set(names), sorted(acknowledged - set(names))
    assert set(names) <= may_exist, sorted(set(names) - may_exist)
    for attempt in attempts:
        if attempt.outcome == ACKNOWLEDGED:
            assert attempt.body is not None and attempt.body["id"] == by_name[attempt.key]["id"]
    for name in names:
        cupcake = by_name[name]
        combo = (cupcake["body"]["slug"], cupcake["frosting"]["slug"], cupcake["topping"]["slug"])
        assert combo == bakes.combo(name)
        assert combo in ALLOWED

    # What a client does after a lost answer: the same key again, until answered. Each
    # then bakes once, or replays what was baked (or refused) before.
    retried = {key: retry_until_answered(bakes, key) for key in sorted(may_exist - acknowledged)}
    for key, attempt in retried.items():
        allowed = bakes.combo(key) in ALLOWED
        assert attempt.status == (201 if allowed else 422), (key, attempt)
        if allowed:
            assert attempt.replayed == (key in names)
        if key in names:
            assert attempt.body is not None and attempt.body["id"] == by_name[key]["id"]
    final = Counter(item["name"] for item in gallery(lab))
    now_baked = acknowledged | {key for key, attempt in retried.items() if attempt.status == 201}
    assert final == dict.fromkeys(now_baked, 1)


class CatalogueCreates:
    """Token-authorised creates with unique slugs; for frostings, one in ten breaks a rule."""

    def __init__(self, lab: RunningLab, service: str) -> None:
        self.service = service
        self.url = f"{lab.urls[service]}/api/v1/{service}"
        self.headers = {"Authorization": f"Bearer {lab.token}"}
        self.sent: dict[str, dict[str, Any]] = {}
        self.lock = threading.Lock()

    def __call__(self, client: httpx.Client, number: int) -> Attempt:
        """Create the next item."""
        slug = f"crash-{self.service}-{number}"
        item: dict[str, Any] = {"slug": slug, "name": f"Crash {number}", "color": f"#{number:06x}"}
        if self.service == "frostings" and number % 10 == 3:
            item["toppings"] = ["sprinkles"]  # only vanilla and chocolate frosting take them
        elif self.service == "frostings" and number % 5 == 1:
            item.update(bodies=["vanilla"], toppings=["flag"])  # checked with their owners
        with self.lock:
            self.sent[slug] = item
        return attempt_of(slug, lambda: client.post(self.url, json=item, headers=self.headers))


def test_every_acknowledged_catalogue_write_survives_kill_9(lab: RunningLab) -> None:
    creates = {name: CatalogueCreates(lab, name) for name in ("frostings", "toppings")}
    storms = {name: Storm(writes, threads=3) for name, writes in creates.items()}
    seconds = storm_through_crashes(lab, list(storms.values()), [["frostings", "toppings"]])

    for name, storm in storms.items():
        attempts, sent = storm.attempts, creates[name].sent
        items = httpx.get(creates[name].url, timeout=10).json()["items"]
        seeded = {"frostings": FROSTINGS, "toppings": TOPPINGS}[name]
        stored = {item["slug"]: item for item in items if item["slug"] not in seeded}
        acknowledged = {a.key for a in attempts if a.outcome == ACKNOWLEDGED}
        in_flight = {a.key for a in attempts if a.outcome == IN_FLIGHT}
        FIGURES[f"{name}: creates"] = {**figures(attempts, set(stored)), "seconds": seconds}

        assert {a.outcome for a in attempts} & {IN_FLIGHT, NOT_SENT}, f"no crash hit {name}"
        assert not [
            a for a in attempts if a.status is not None and a.status >= 500 and a.status != 503
        ]
        assert acknowledged <= set(stored) <= set(sent)
        assert set(stored) - acknowledged <= in_flight
        for slug, item in stored.items():
            assert (item["name"], item["color"]) == (sent[slug]["name"], sent[slug]["color"])
            assert "sprinkles" not in item.get("toppings", [])
            assert item.get("toppings", []) == sent[slug].get("toppings", [])
