"""Baking in a real browser: the gallery, and a retry after a 503 that bakes exactly once."""

from __future__ import annotations

import httpx
from playwright.sync_api import Page, Request, expect

from tests.browser.lab_page import item_image_url, lab_open, status_of
from tests.e2e.conftest import RunningLab

GALLERY_PAGE = 9


def gallery_names(lab: RunningLab) -> list[str]:
    """The names of the first page of the gallery, as the API lists it (newest first)."""
    response = httpx.get(f"{lab.urls['bodies']}/api/v1/cupcakes?page_size=50", timeout=5)
    response.raise_for_status()
    return [item["name"] for item in response.json()["items"]]


def test_a_named_cupcake_once_baked_comes_first_in_the_gallery(page: Page, lab: RunningLab) -> None:
    lab_open(page, "?body=chocolate&frosting=chocolate&topping=sprinkles")

    page.get_by_label("Name your cupcake").fill("Triple Chocolate")
    page.get_by_role("button", name="Bake").click()

    expect(page.locator("#bake-result")).to_contain_text("Baked “Triple Chocolate”")
    first = page.locator("#gallery-list .gallery-item").first
    expect(first.locator(".gallery-name")).to_have_text("Triple Chocolate")
    expect(first.locator(".gallery-parts")).to_have_text("Chocolate · Chocolate · Sprinkles")
    pictures = [img.get_attribute("src") for img in first.locator("img").all()]
    assert pictures == [
        item_image_url(lab, "body", "chocolate"),
        item_image_url(lab, "frosting", "chocolate"),
        item_image_url(lab, "topping", "sprinkles"),
    ]
    assert gallery_names(lab)[0] == "Triple Chocolate"

    page.reload()
    expect(page.locator("#gallery-list .gallery-item .gallery-name").first).to_have_text(
        "Triple Chocolate"
    )


def test_the_gallery_shows_a_page_at_a_time_and_more_on_demand(page: Page, lab: RunningLab) -> None:
    for number in range(GALLERY_PAGE + 1):
        baked = httpx.post(
            f"{lab.urls['bodies']}/api/v1/cupcakes",
            json={
                "body": "vanilla",
                "frosting": "vanilla",
                "topping": "cherry",
                "name": f"No. {number}",
            },
            timeout=5,
        )
        assert baked.status_code == 201, baked.text
    total = len(gallery_names(lab))
    lab_open(page)

    items = page.locator("#gallery-list .gallery-item")
    expect(items).to_have_count(GALLERY_PAGE)
    expect(items.first.locator(".gallery-name")).to_have_text(f"No. {GALLERY_PAGE}")
    page.get_by_role("button", name="More cupcakes").click()

    expect(items).to_have_count(min(total, 2 * GALLERY_PAGE))
    expect(page.locator("#gallery-count")).to_have_text(f"{total} baked")


def test_a_bake_refused_while_toppings_is_down_is_retried_with_the_same_key_and_bakes_once(
    page: Page, lab: RunningLab
) -> None:
    keys: list[str | None] = []

    def remember_key(request: Request) -> None:
        if request.method == "POST" and request.url.endswith("/api/v1/cupcakes"):
            keys.append(request.headers.get("idempotency-key"))

    page.on("request", remember_key)
    lab_open(page, "?body=vanilla&frosting=strawberry&topping=flag")
    page.get_by_label("Name your cupcake").fill("Patience")
    assert lab.cli("kill", "toppings").returncode == 0
    try:
        expect(status_of(page, "topping")).to_have_text("unavailable")
        page.get_by_role("button", name="Bake").click()
        expect(page.locator("#bake-result")).to_contain_text("Not baked yet: try again")
        expect(page.locator("#bake-result")).to_have_attribute("data-outcome", "retry")
        expect(page.locator("#bake-button")).to_have_text("Try again")
        assert "Patience" not in gallery_names(lab)
    finally:
        assert lab.cli("start", "toppings").returncode == 0

    expect(status_of(page, "topping")).to_have_text("ok")
    page.get_by_role("button", name="Try again").click()

    expect(page.locator("#bake-result")).to_contain_text("Baked “Patience”")
    assert len(keys) == 2 and keys[0] and keys[0] == keys[1]
    assert gallery_names(lab).count("Patience") == 1
