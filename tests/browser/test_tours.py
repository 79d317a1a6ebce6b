"""Guided failure tours in a real browser, on a lab started with chaos as `make up` does:
every tour played to its end leaves the lab all green with no chaos on any service, and a
page closed mid-tour leaves chaos that ends by itself.

The lab's tour faults expire after TOUR_EXPIRY_S (the page renews them while a tour runs),
so that the test of a closed page waits seconds, not the default ten.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.conftest import PHONE, page_open
from tests.browser.lab_page import CALM, chaos_confirmed, chaos_open, lab_chaos_set, lab_open
from tests.browser.test_chaos import calm_lab
from tests.browser.test_screenshots import IMAGES, pictures_settle
from tests.e2e.conftest import SERVICES, RunningLab, start_lab, stop_lab, wait_until

TOUR_EXPIRY_S = 3.0
TOURS = {
    "killed": "A service killed",
    "stalled": "A service stalled",
    "flaky": "A flaky service",
    "slow": "A slow service, past the deadline",
    "bake-rule-owner-down": "Baking while a rule owner is down",
    "recovery": "Recovery",
}
# A whole tour: its steps' own bounds (20 to 40 s each) and the calm start and end (30 s each)
# are far more than a tour takes; this bounds the test, not the tour.
TOUR_MS = 180_000
# How long after the page stops renewing them a tour's faults may still be on: the expiry,
# and a poll of the test's.
EXPIRY_SLACK_S = 1.0


@pytest.fixture(scope="module")
def lab(chromium_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLab]:
    """A lab started with chaos, its tours' faults expiring after TOUR_EXPIRY_S."""
    running = start_lab(
        tmp_path_factory.mktemp("tour-lab"),
        chaos=True,
        extra_env={"TOUR_CHAOS_EXPIRY": str(TOUR_EXPIRY_S)},
    )
    yield running
    assert stop_lab(running) == 0, running.output.read_text()


@pytest.fixture(autouse=True)
def calm(lab: RunningLab) -> Iterator[None]:
    """Each test starts, and leaves, a lab without faults where every service is ok."""
    calm_lab(lab)
    yield
    calm_lab(lab)


def service_chaos(lab: RunningLab, service: str) -> dict[str, object]:
    """What ``service`` itself says of its chaos (its own ``/_chaos``, with the token)."""
    answer = httpx.get(
        f"{lab.urls[service]}/_chaos",
        headers={"Authorization": f"Bearer {lab.token}"},
        timeout=5,
    )
    assert answer.status_code == 200, answer.text
    settings: dict[str, object] = answer.json()
    return settings


def tour_panel(page: Page) -> Locator:
    """The panel of the running tour."""
    return page.locator("#tour")


def tour_start(page: Page, tour_id: str) -> Locator:
    """Open the chaos drawer and start a tour from its picker with the keyboard."""
    drawer = chaos_open(page)
    button = drawer.get_by_role("button", name=TOURS[tour_id], exact=True)
    button.focus()
    page.keyboard.press("Enter")
    expect(drawer).to_be_hidden()
    panel = tour_panel(page)
    expect(panel).to_be_visible()
    expect(panel).to_have_attribute("data-tour", tour_id)
    expect(page.locator("#tour-title")).to_be_focused()
    return panel


def test_the_drawer_offers_the_six_tours(page: Page, lab: RunningLab) -> None:
    lab_open(page)
    drawer = chaos_open(page)

    buttons = drawer.locator(".tours-start")

    expect(buttons).to_have_text(list(TOURS.values()))
    assert [button.get_attribute("data-tour") for button in buttons.all()] == list(TOURS)
    expect(tour_panel(page)).to_be_hidden()


@pytest.mark.parametrize("tour_id", list(TOURS))
def test_a_tour_runs_to_its_end_and_leaves_the_lab_all_green_without_chaos(
    page: Page, lab: RunningLab, tour_id: str
) -> None:
    lab_open(page)
    started = time.monotonic()

    panel = tour_start(page, tour_id)

    expect(panel).to_have_attribute("data-state", "done", timeout=TOUR_MS)
    took = time.monotonic() - started
    print(f"tour {tour_id}: {took:.1f} s")
    steps = panel.locator(".tour-step")
    assert steps.count() >= 3
    missed = panel.locator('.tour-step:not([data-state="seen"])').all_text_contents()
    assert missed == [], f"steps not seen: {missed}"
    expect(panel.locator('[data-role="outcome"]')).to_have_text(
        "Everything is back as it was: all services up."
    )
    expect(page.locator("#lab-health")).to_have_attribute("data-health", "ok")
    expect(page.locator("#lab-health")).to_have_text("All 3 services up")
    for service in SERVICES:
        assert service_chaos(lab, service) == CALM, service
    expect(panel.get_by_role("button", name="Close")).to_be_focused()
    page.keyboard.press("Enter")
    expect(panel).to_be_hidden()


def test_a_page_closed_mid_tour_leaves_chaos_that_ends_by_itself(
    browser: Browser, lab: RunningLab
) -> None:
    page, problems = page_open(browser, lab, PHONE)
    lab_open(page)
    panel = tour_start(page, "killed")
    expect(panel.locator('.tour-step[data-state="now"]')).to_have_attribute("data-index", "1")
    wait_until(lambda: service_chaos(lab, "toppings")["down"] is True, timeout=10)
    left = service_chaos(lab, "toppings")["expires_in_s"]
    assert isinstance(left, float) and 0 < left <= TOUR_EXPIRY_S
    box = panel.bounding_box()
    assert box is not None and box["width"] <= PHONE["width"]
    pictures_settle(page)
    IMAGES.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(IMAGES / "lab-tour-phone.png"), animations="disabled")

    page.context.close()
    closed = time.monotonic()

    wait_until(lambda: service_chaos(lab, "toppings") == CALM, timeout=TOUR_EXPIRY_S + 5)
    assert time.monotonic() - closed <= TOUR_EXPIRY_S + EXPIRY_SLACK_S
    assert problems.errors == []


def test_a_tour_starts_from_a_calm_lab_and_a_stopped_one_puts_everything_back(
    page: Page, lab: RunningLab
) -> None:
    lab_chaos_set(lab, "toppings", error_rate=0.2)
    lab_open(page)
    panel = tour_start(page, "slow")
    wait_until(lambda: service_chaos(lab, "toppings") == CALM, timeout=10)
    expect(panel.locator('.tour-step[data-state="now"]')).to_have_attribute("data-index", "1")
    wait_until(lambda: service_chaos(lab, "frostings")["latency_ms"] == 1500, timeout=10)
    # The drawer shows a tour's faults with the expiry the tour keeps renewing.
    drawer = chaos_open(page)
    expect(chaos_confirmed(page, "frostings")).to_contain_text(
        "frostings confirms: 1.5 s latency (ending by itself within"
    )
    page.keyboard.press("Escape")
    expect(drawer).to_be_hidden()
    expect(page.locator('#panel-frostings [data-role="status"]')).to_have_attribute(
        "data-status", "unavailable", timeout=20_000
    )
    pictures_settle(page)
    IMAGES.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(IMAGES / "lab-tour.png"), animations="disabled")

    panel.get_by_role("button", name="Stop the tour").press("Enter")

    expect(panel).to_have_attribute("data-state", "stopped", timeout=40_000)
    expect(panel.locator('[data-role="outcome"]')).to_have_text(
        "Everything is back as it was: all services up."
    )
    for service in SERVICES:
        assert service_chaos(lab, service) == CALM, service
    expect(panel.locator('.tour-step[data-state="skipped"]')).not_to_have_count(0)
