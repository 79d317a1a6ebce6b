"""A service dies under the page and comes back: the page keeps composing and recovers by itself."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.lab_page import card, cupcake_expect, lab_open, panel, radio, status_of
from tests.e2e.conftest import RunningLab


def test_with_toppings_killed_the_page_composes_body_and_frosting_then_recovers_by_itself(
    page: Page, lab: RunningLab
) -> None:
    lab_open(page, "?body=vanilla&frosting=vanilla&topping=cherry")
    cupcake_expect(page, lab, {"body": "vanilla", "frosting": "vanilla", "topping": "cherry"})

    assert lab.cli("kill", "toppings").returncode == 0
    try:
        expect(status_of(page, "topping")).to_have_text("unavailable")
        expect(status_of(page, "topping")).to_have_attribute("data-status", "unavailable")
        expect(panel(page, "topping").locator('[data-role="down"]')).to_contain_text(
            "The toppings service is unavailable"
        )
        expect(panel(page, "topping").locator(".card")).to_have_count(0)
        cupcake_expect(page, lab, {"body": "vanilla", "frosting": "vanilla"})
        expect(page.locator("#lab-health")).to_contain_text("toppings unavailable")

        card(page, "body", "chocolate").click()
        cupcake_expect(page, lab, {"body": "chocolate", "frosting": "vanilla"})
    finally:
        assert lab.cli("start", "toppings").returncode == 0

    expect(status_of(page, "topping")).to_have_text("ok")
    expect(radio(page, "topping", "cherry")).to_be_checked()
    cupcake_expect(page, lab, {"body": "chocolate", "frosting": "vanilla", "topping": "cherry"})
    expect(page.locator("#lab-health")).to_have_text("All 3 services up")


def test_with_frostings_killed_the_body_is_still_chosen_and_drawn_then_recovers_by_itself(
    page: Page, lab: RunningLab
) -> None:
    lab_open(page, "?body=vanilla&frosting=strawberry")

    assert lab.cli("kill", "frostings").returncode == 0
    try:
        expect(status_of(page, "frosting")).to_have_text("unavailable")
        expect(panel(page, "frosting").locator('[data-role="down"]')).to_contain_text(
            "The frostings service is unavailable"
        )
        card(page, "body", "carrot-cake").click()
        cupcake_expect(page, lab, {"body": "carrot-cake"})
    finally:
        assert lab.cli("start", "frostings").returncode == 0

    expect(status_of(page, "frosting")).to_have_text("ok")
    # Back with its rules: strawberry does not go on carrot cake, so it came off.
    expect(radio(page, "frosting", "strawberry")).to_be_disabled()
    expect(radio(page, "frosting", "vanilla")).to_be_enabled()
    cupcake_expect(page, lab, {"body": "carrot-cake"})
