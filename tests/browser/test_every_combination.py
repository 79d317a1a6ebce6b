"""Every body x frosting x topping in a real browser: each allowed one composed and baked,
each forbidden one refused on the page with its reason."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.lab_page import card, cupcake_expect, lab_open, radio
from tests.catalogue import FROSTINGS, PAIRINGS, TOPPINGS
from tests.e2e.conftest import RunningLab


@pytest.fixture(scope="module")
def lab(shared_lab: RunningLab) -> RunningLab:
    """This module only reads from the lab (and bakes): the one the session shares."""
    return shared_lab


def baked_combinations(lab: RunningLab) -> set[tuple[str, str, str]]:
    """(body, frosting, topping) of every cupcake in the gallery."""
    answer = httpx.get(f"{lab.urls['bodies']}/api/v1/cupcakes?page_size=50", timeout=5).json()
    return {
        (item["body"]["slug"], item["frosting"]["slug"], item["topping"]["slug"])
        for item in answer["items"]
    }


def refused_with_a_reason(page: Page, layer: str, slug: str) -> None:
    """The card of ``slug`` cannot be chosen and says why."""
    expect(radio(page, layer, slug)).to_be_disabled()
    expect(card(page, layer, slug).locator(".card-reason")).not_to_be_empty()


@pytest.mark.parametrize("body", ["vanilla", "chocolate", "carrot-cake"])
def test_each_allowed_cupcake_is_baked_and_each_forbidden_one_refused(
    page: Page, lab: RunningLab, body: str
) -> None:
    lab_open(page)
    card(page, "body", body).click()
    baked: set[tuple[str, str, str]] = set()
    for frosting in FROSTINGS:
        goes_on, takes = PAIRINGS[frosting]
        if body not in goes_on:
            refused_with_a_reason(page, "frosting", frosting)
            continue
        card(page, "frosting", frosting).click()
        for topping in TOPPINGS:
            if topping not in takes:
                refused_with_a_reason(page, "topping", topping)
                continue
            card(page, "topping", topping).click()
            cupcake_expect(page, lab, {"body": body, "frosting": frosting, "topping": topping})
            name = f"{body} {frosting} {topping}"
            page.get_by_label("Name your cupcake").fill(name)
            page.get_by_role("button", name="Bake").click()
            expect(page.locator("#bake-result")).to_contain_text(f"Baked “{name}”")
            baked.add((body, frosting, topping))
    expected = {
        (body, frosting, topping)
        for frosting, (goes_on, takes) in PAIRINGS.items()
        if body in goes_on
        for topping in takes
    }
    assert baked == expected
    assert expected <= baked_combinations(lab)
