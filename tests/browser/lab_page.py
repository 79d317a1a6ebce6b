"""How the browser tests find things on the lab page, in the words of the page's own markup."""

from __future__ import annotations

import httpx
from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import RunningLab

SERVICE_OF = {"body": "bodies", "frosting": "frostings", "topping": "toppings"}


def lab_open(page: Page, query: str = "") -> None:
    """Open the lab page (with ``?body=…`` choices) and wait for its first composition."""
    page.goto(f"/{query}")
    expect(page.locator("#panel-bodies .card").first).to_be_visible()


def panel(page: Page, layer: str) -> Locator:
    """The panel (a fieldset) of the service that owns ``layer``."""
    return page.locator(f"#panel-{SERVICE_OF[layer]}")


def card(page: Page, layer: str, slug: str) -> Locator:
    """The picture card of one item."""
    return panel(page, layer).locator(f'label.card[data-slug="{slug}"]')


def radio(page: Page, layer: str, slug: str) -> Locator:
    """The native radio input inside an item's card."""
    return card(page, layer, slug).locator("input[type=radio]")


def status_of(page: Page, layer: str) -> Locator:
    """The status light (colour and words) of a layer's service."""
    return panel(page, layer).locator('[data-role="status"]')


def layer_image(page: Page, layer: str) -> Locator:
    """The picture of ``layer`` drawn on the cupcake (not one fading out)."""
    return page.locator(f'#cupcake img.layer[data-layer="{layer}"]:not(.is-leaving)')


def image_loaded(image: Locator) -> bool:
    """Whether an <img> really loaded its picture."""
    return bool(image.evaluate("img => img.complete && img.naturalWidth > 0"))


def item_image_url(lab: RunningLab, layer: str, slug: str) -> str:
    """An item's image_url, as its own service states it."""
    service = SERVICE_OF[layer]
    response = httpx.get(f"{lab.urls[service]}/api/v1/{service}/{slug}", timeout=5)
    response.raise_for_status()
    return str(response.json()["image_url"])


def cupcake_expect(page: Page, lab: RunningLab, parts: dict[str, str]) -> None:
    """Check the cupcake shows exactly ``parts`` (layer -> slug), each picture loaded."""
    for layer in SERVICE_OF:
        image = layer_image(page, layer)
        if layer in parts:
            expect(image).to_have_attribute("src", item_image_url(lab, layer, parts[layer]))
            assert image_loaded(image), f"the {layer} picture did not load"
        else:
            expect(image).to_have_count(0)


CALM = {"latency_ms": 0, "error_rate": 0.0, "down": False, "expires_in_s": None}


def chaos_drawer(page: Page) -> Locator:
    """The chaos drawer (a modal <dialog>)."""
    return page.locator("#chaos-drawer")


def chaos_section(page: Page, service: str) -> Locator:
    """One service's section of the chaos drawer."""
    return chaos_drawer(page).locator(f'.chaos-service[data-service="{service}"]')


def chaos_confirmed(page: Page, service: str) -> Locator:
    """The line saying what ``service`` confirmed its faults are."""
    return chaos_section(page, service).locator('[data-role="confirmed"]')


def chaos_open(page: Page) -> Locator:
    """Open the chaos drawer with the header's Chaos button; return the drawer."""
    page.locator("#chaos-toggle").click()
    drawer = chaos_drawer(page)
    expect(drawer).to_be_visible()
    return drawer


def lab_chaos(lab: RunningLab) -> dict[str, dict[str, object] | None]:
    """Every service's chaos settings, as bodies reports them."""
    response = httpx.get(f"{lab.urls['bodies']}/api/v1/lab/chaos", timeout=5)
    response.raise_for_status()
    services: dict[str, dict[str, object] | None] = response.json()["services"]
    return services


def lab_chaos_set(lab: RunningLab, service: str, **settings: object) -> None:
    """Set one service's chaos through bodies, as the drawer does (nothing given: no faults)."""
    response = httpx.put(
        f"{lab.urls['bodies']}/api/v1/lab/chaos/{service}", json={**CALM, **settings}, timeout=5
    )
    assert response.status_code == 200, response.text


def unavailable_expect(page: Page, layer: str, *, timeout: float) -> None:
    """Check, within ``timeout`` ms, that ``layer``'s panel shows its service unavailable:
    the light in colour and words, and the box that says so in place of the cards."""
    light = status_of(page, layer)
    expect(light).to_have_attribute("data-status", "unavailable", timeout=timeout)
    expect(light).to_have_text("unavailable")
    expect(panel(page, layer).locator('[data-role="down"]')).to_contain_text(
        f"The {SERVICE_OF[layer]} service is unavailable"
    )
