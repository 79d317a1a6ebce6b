"""The guided tours' data: six tours the page can play, each step checkable and bounded."""

import json

import pytest
from pytest_django import Settings

from bodies.lab.tours import SERVICES, TOURS, WATCH_VALUES, Tour, tours_config
from cupcake_chassis.chaos import ChaosSettings

# What the issue asks the tours to show, at least.
TOUR_IDS = ["killed", "stalled", "flaky", "slow", "bake-rule-owner-down", "recovery"]


def test_the_six_tours_are_there_each_once() -> None:
    assert [tour.id for tour in TOURS] == TOUR_IDS


@pytest.mark.parametrize("tour", TOURS, ids=lambda tour: tour.id)
def test_every_step_says_what_it_does_and_waits_for_a_state_the_page_shows(tour: Tour) -> None:
    assert tour.title and tour.summary and tour.steps
    assert set(tour.choices) == {"body", "frosting", "topping"}
    for step in tour.steps:
        assert step.does.strip() and step.watch.strip()
        assert 0 < step.within_s <= 60
        assert step.until, f"{tour.id}: a step waits for nothing"
        for watch in step.until:
            assert set(watch.value.split("|")) <= WATCH_VALUES[watch.kind], watch
            assert (watch.service is None) == (watch.kind in {"bake", "health"}), watch
            assert watch.service is None or watch.service in SERVICES
        for service, faults in step.faults.items():
            assert service in SERVICES
            assert faults.faulty and faults.expires_in_s is None
            assert ChaosSettings.from_json(json.loads(json.dumps(vars(faults)))) == faults


@pytest.mark.parametrize("tour", TOURS, ids=lambda tour: tour.id)
def test_every_tour_breaks_something(tour: Tour) -> None:
    assert any(step.faults for step in tour.steps)


def test_the_tours_are_offered_only_in_a_lab_with_chaos(settings: Settings) -> None:
    settings.CUPCAKE_CHAOS = False
    assert tours_config() is None

    settings.CUPCAKE_CHAOS = True
    settings.TOUR_CHAOS_EXPIRY = 4.5
    config = tours_config()

    assert config is not None
    assert config["chaosExpiryS"] == 4.5
    assert [tour["id"] for tour in config["list"]] == TOUR_IDS
    killed = config["list"][0]["steps"][0]
    assert killed["faults"] == {"toppings": {"latency_ms": 0, "error_rate": 0.0, "down": True}}
    assert killed["until"][0] == {"kind": "status", "service": "toppings", "value": "unavailable"}
    assert killed["withinMs"] == 20_000
    assert json.loads(json.dumps(config)) == config
