"""Composing a cupcake in a real browser: cards, rules, keyboard, the URL and the wire panel."""

from __future__ import annotations

import re
import statistics
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Page, Request, expect

from tests.browser.conftest import DESKTOP, page_open
from tests.browser.lab_page import (
    card,
    cupcake_expect,
    lab_open,
    panel,
    radio,
    status_of,
)
from tests.e2e.conftest import RunningLab

FRAMEWORKS = {"body": "Django", "frosting": "Flask", "topping": "Pyramid"}


@pytest.fixture(scope="module")
def lab(shared_lab: RunningLab) -> RunningLab:
    """This module only reads from the lab (and bakes): the one the session shares."""
    return shared_lab


def test_each_panel_names_its_service_framework_and_address_with_a_status_light(
    page: Page, lab: RunningLab
) -> None:
    lab_open(page)

    for layer, framework in FRAMEWORKS.items():
        service = {"body": "bodies", "frosting": "frostings", "topping": "toppings"}[layer]
        expect(panel(page, layer).locator(".framework")).to_have_text(framework)
        expect(panel(page, layer).locator('[data-role="address"]')).to_have_text(lab.urls[service])
        expect(status_of(page, layer)).to_have_attribute("data-status", "ok")
        expect(status_of(page, layer)).to_have_text("ok")


def test_clicking_a_card_per_layer_stacks_the_services_own_pictures(
    page: Page, lab: RunningLab
) -> None:
    lab_open(page)

    card(page, "body", "vanilla").click()
    expect(radio(page, "frosting", "strawberry")).to_be_enabled()
    card(page, "frosting", "strawberry").click()
    expect(radio(page, "topping", "cherry")).to_be_enabled()
    card(page, "topping", "cherry").click()

    cupcake_expect(page, lab, {"body": "vanilla", "frosting": "strawberry", "topping": "cherry"})
    expect(page.locator("#cupcake-title")).to_have_text("Vanilla, Strawberry & Cherry")
    expect(page.locator("#bake-button")).to_be_enabled()


def test_carrot_cake_leaves_only_vanilla_frosting_enabled_and_says_why(
    page: Page, lab: RunningLab
) -> None:
    lab_open(page)

    card(page, "body", "carrot-cake").click()

    expect(radio(page, "frosting", "vanilla")).to_be_enabled()
    for slug in ("chocolate", "neon-blue", "strawberry"):
        expect(radio(page, "frosting", slug)).to_be_disabled()
        expect(card(page, "frosting", slug).locator(".card-reason")).to_have_text(
            "Carrot Cake only takes Vanilla frosting"
        )
    expect(panel(page, "frosting").locator('[data-role="rule"]')).to_contain_text("Carrot Cake")
    card(page, "frosting", "chocolate").click(force=True)
    expect(radio(page, "frosting", "chocolate")).not_to_be_checked()


def test_a_body_that_does_not_take_the_chosen_frosting_takes_it_off(
    page: Page, lab: RunningLab
) -> None:
    lab_open(page, "?body=chocolate&frosting=chocolate&topping=sprinkles")
    cupcake_expect(
        page, lab, {"body": "chocolate", "frosting": "chocolate", "topping": "sprinkles"}
    )

    card(page, "body", "carrot-cake").click()

    cupcake_expect(page, lab, {"body": "carrot-cake"})
    expect(page.locator("#cupcake-change")).to_contain_text("Carrot Cake only takes Vanilla")
    expect(page).to_have_url(re.compile(r"/\?body=carrot-cake$"))


def test_the_keyboard_alone_composes_and_bakes_a_cupcake(page: Page, lab: RunningLab) -> None:
    lab_open(page)
    keyboard = page.keyboard

    keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    keyboard.press("Enter")
    keyboard.press("Tab")
    expect(radio(page, "body", "carrot-cake")).to_be_focused()
    keyboard.press("ArrowRight")
    keyboard.press("ArrowRight")
    expect(radio(page, "body", "vanilla")).to_be_checked()
    expect(radio(page, "frosting", "neon-blue")).to_be_enabled()

    keyboard.press("Tab")
    expect(radio(page, "frosting", "chocolate")).to_be_focused()
    keyboard.press("ArrowRight")
    expect(radio(page, "frosting", "neon-blue")).to_be_checked()
    expect(radio(page, "topping", "flag")).to_be_enabled()
    expect(radio(page, "topping", "cherry")).to_be_disabled()

    keyboard.press("Tab")
    expect(radio(page, "topping", "flag")).to_be_focused()
    keyboard.press("Space")
    expect(radio(page, "topping", "flag")).to_be_checked()
    cupcake_expect(page, lab, {"body": "vanilla", "frosting": "neon-blue", "topping": "flag"})

    keyboard.press("Tab")
    expect(page.locator("#bake-name")).to_be_focused()
    keyboard.type("Typed, not clicked")
    keyboard.press("Enter")
    expect(page.locator("#bake-result")).to_contain_text("Baked “Typed, not clicked”")


def test_choices_live_in_the_url_so_a_cupcake_can_be_linked(page: Page, lab: RunningLab) -> None:
    lab_open(page, "?body=vanilla&frosting=chocolate&topping=flag")

    cupcake_expect(page, lab, {"body": "vanilla", "frosting": "chocolate", "topping": "flag"})
    expect(radio(page, "frosting", "chocolate")).to_be_checked()

    card(page, "topping", "cherry").click()
    expect(page).to_have_url(re.compile(r"topping=cherry"))
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"body": ["vanilla"], "frosting": ["chocolate"], "topping": ["cherry"]}


def test_the_wire_panel_lists_each_call_of_the_last_composition(
    page: Page, lab: RunningLab
) -> None:
    lab_open(page, "?body=vanilla&frosting=strawberry")

    rows = page.locator("#wire-calls tr.call")
    expect(rows.filter(has_text="/api/v1/frostings/strawberry/toppings")).to_have_count(1)
    expect(rows.filter(has_text="GET /api/v1/toppings")).to_have_count(1)
    for row in rows.all():
        expect(row.locator(".call-status")).to_have_text("200")
        expect(row.locator(".call-ms")).to_have_text(re.compile(r"^\d+(\.\d)? ms$"))
        expect(row.locator(".call-cache")).not_to_be_empty()
    expect(rows.first).to_have_attribute("data-service", re.compile("^(frostings|toppings)$"))
    # bodies' own time is read from the answer's Server-Timing header.
    expect(page.locator("#wire-summary")).to_have_text(
        re.compile(r"\(200, [\d.]+ ms, [\d.]+ ms of it in bodies\)")
    )


def test_the_wire_panel_shows_each_calls_budget_and_the_answers_of_the_http_cache(
    page: Page, lab: RunningLab
) -> None:
    lab_open(page, "?body=vanilla&frosting=strawberry")
    rows = page.locator("#wire-calls tr.call")

    # Catalogue answers are cached: the next compositions are answered by the assembler's
    # HTTP cache, fresh (hit) or confirmed by a 304 (revalidated), and say so.
    cached = rows.locator('.call-cache:is([data-cache="hit"], [data-cache="revalidated"])')
    expect(cached.first).to_be_visible()
    expect(cached.first).to_have_attribute("title", re.compile("cache"))
    expect(rows.first.locator(".call-budget")).to_be_visible()
    for row in rows.all():
        budget = row.locator(".call-budget").text_content() or ""
        assert re.fullmatch(r"of \d+ ms", budget), budget
        assert 0 < int(budget.split()[1]) <= 1000, "more than the front door's 1 s deadline"
        expect(row.locator(".call-notes")).to_be_hidden()


def test_a_lab_without_chaos_shows_no_chaos_button_and_no_drawer(
    page: Page, lab: RunningLab
) -> None:
    asked: list[str] = []

    def remember(request: Request) -> None:
        if "/api/v1/lab/chaos" in request.url:
            asked.append(request.url)

    page.on("request", remember)
    lab_open(page)
    expect(page.locator("#wire-calls tr.call")).not_to_have_count(0)

    assert httpx.get(f"{lab.urls['bodies']}/api/v1/lab/chaos", timeout=5).status_code == 404
    expect(page.locator("#chaos-toggle")).to_be_hidden()
    expect(page.locator("#chaos-drawer")).to_be_hidden()
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert asked == [], "a lab without chaos is not even asked for its chaos"


def visibility_set(page: Page, *, hidden: bool) -> None:
    """Make the page believe its tab was hidden or shown again."""
    page.evaluate(
        """(hidden) => {
            Object.defineProperty(document, "hidden", { configurable: true, get: () => hidden });
            document.dispatchEvent(new Event("visibilitychange"));
        }""",
        hidden,
    )


def test_the_page_recomposes_every_two_seconds_and_pauses_while_hidden(
    page: Page, lab: RunningLab
) -> None:
    compositions: list[str] = []

    def remember(request: Request) -> None:
        if urlsplit(request.url).path == "/api/v1/cupcake":
            compositions.append(request.url)

    lab_open(page, "?body=vanilla")
    page.on("request", remember)
    page.wait_for_timeout(5000)
    assert 2 <= len(compositions) <= 3, compositions

    visibility_set(page, hidden=True)
    expect(page.locator("#live")).to_have_attribute("data-state", "paused")
    compositions.clear()
    page.wait_for_timeout(4500)
    assert compositions == []

    visibility_set(page, hidden=False)
    expect(page.locator("#live")).to_have_attribute("data-state", "live")
    assert len(compositions) >= 1


def test_a_linked_cupcake_is_drawn_soon_after_navigation(browser: Browser, lab: RunningLab) -> None:
    """Navigation start to the composed cupcake on screen, from the browser's performance API."""
    timings = []
    for _ in range(5):
        page, problems = page_open(browser, lab, DESKTOP)
        page.goto("/?body=vanilla&frosting=strawberry&topping=cherry")
        expect(page.locator("html")).to_have_attribute("data-cupcake-drawn", "true")
        timings.append(page.evaluate("performance.getEntriesByName('cupcake-drawn')[0].startTime"))
        page.context.close()
        assert problems.errors == []

    median = statistics.median(timings)
    print(f"\nfull page load to the composed cupcake: median {median:.0f} ms of {timings}")
    assert median < 3000
