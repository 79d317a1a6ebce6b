"""Screenshots of the composed lab page from a real run of the lab as `make up` starts it
(with chaos, so the header has its Chaos button), and of the chaos drawer at work.

They go to test-results/screenshots/ (git-ignored); `make screenshots` copies them to
docs/images/, where the README shows them, when the page has changed.
"""

from __future__ import annotations

import struct
import time
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import DESKTOP, PHONE, page_open
from tests.browser.lab_page import chaos_confirmed, chaos_open, lab_chaos_set, status_of
from tests.e2e.conftest import RunningLab

IMAGES = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
COMPOSED = "/?body=vanilla&frosting=strawberry&topping=cherry"
# A gallery worth looking at, baked oldest first.
SHOWCASE = [
    ("vanilla", "neon-blue", "flag", "Blue Monday"),
    ("chocolate", "chocolate", "cherry", "Black Forest"),
    ("carrot-cake", "vanilla", "sprinkles", "Carrot Classic"),
    ("vanilla", "chocolate", "flag", "Victory Lap"),
    ("chocolate", "vanilla", "sprinkles", "Birthday Party"),
    ("vanilla", "strawberry", "cherry", "Strawberry Shortcake"),
]


@pytest.fixture(scope="module")
def lab(chaos_lab: RunningLab) -> RunningLab:
    """The lab as `make up` starts it: with chaos."""
    return chaos_lab


def png_size(path: Path) -> tuple[int, int]:
    """Width and height of a PNG file, from its IHDR chunk."""
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def pictures_settle(page: Page, timeout: float = 10.0) -> None:
    """Wait (bounded) until every picture on the page has loaded, but lazy ones out of sight."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(
        "[...document.images].every((img) => img.complete"
        " || (img.loading === 'lazy' && img.getBoundingClientRect().top > innerHeight))"
    ):
        assert time.monotonic() < deadline, "pictures still loading"
        page.wait_for_timeout(100)


def composed_screenshot(
    browser: Browser, lab: RunningLab, viewport: dict[str, int], name: str, *, chaos: bool = False
) -> Path:
    """Open the composed cupcake at ``viewport`` (with the chaos drawer open if asked) and
    save what the browser shows."""
    page, problems = page_open(browser, lab, viewport)
    try:
        page.goto(COMPOSED)
        expect(page.locator("html")).to_have_attribute("data-cupcake-drawn", "true")
        expect(page.locator("#gallery-list .gallery-item")).to_have_count(len(SHOWCASE))
        expect(page.locator("#wire-calls tr.call")).to_have_count(3)
        expect(page.locator("#chaos-toggle")).to_be_visible()
        if chaos:
            expect(status_of(page, "frosting")).not_to_have_text("ok", timeout=15_000)
            chaos_open(page)
            expect(chaos_confirmed(page, "frostings")).to_have_text(
                "frostings confirms: 1.5 s latency"
            )
        pictures_settle(page)
        IMAGES.mkdir(parents=True, exist_ok=True)
        path = IMAGES / name
        page.screenshot(path=str(path), animations="disabled")
    finally:
        page.context.close()
    assert problems.errors == []
    return path


def test_screenshots_of_the_composed_page_for_the_readme(browser: Browser, lab: RunningLab) -> None:
    for body, frosting, topping, name in SHOWCASE:
        baked = httpx.post(
            f"{lab.urls['bodies']}/api/v1/cupcakes",
            json={"body": body, "frosting": frosting, "topping": topping, "name": name},
            timeout=5,
        )
        assert baked.status_code == 201, baked.text
    IMAGES.mkdir(parents=True, exist_ok=True)

    desktop = composed_screenshot(browser, lab, DESKTOP, "lab-page.png")
    phone = composed_screenshot(browser, lab, PHONE, "lab-page-phone.png")
    lab_chaos_set(lab, "frostings", latency_ms=1500)
    try:
        drawer = composed_screenshot(browser, lab, DESKTOP, "lab-chaos.png", chaos=True)
        drawer_phone = composed_screenshot(browser, lab, PHONE, "lab-chaos-phone.png", chaos=True)
    finally:
        lab_chaos_set(lab, "frostings")

    for path, viewport in [
        (desktop, DESKTOP),
        (phone, PHONE),
        (drawer, DESKTOP),
        (drawer_phone, PHONE),
    ]:
        assert png_size(path) == (viewport["width"], viewport["height"])
