"""Fixtures of the browser tests: a real lab started by the launcher, driven by Debian's Chromium.

Without /usr/bin/chromium the suite is skipped with a clear message, unless
``CUPCAKE_REQUIRE_ALL_SUITES=1`` (set by CI) makes that a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright

from tests.e2e.conftest import RunningLab, lent, start_lab, stop_lab

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 800}
# Every wait is bounded: the page re-composes every 2 s, so 10 s is five chances.
WAIT_MS = 10_000
expect.set_options(timeout=WAIT_MS)


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """Debian's Chromium, or a skip (a failure under CUPCAKE_REQUIRE_ALL_SUITES=1) without it."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    message = (
        f"the browser tests need Chromium at {CHROMIUM} "
        "(on Debian or Ubuntu: apt-get install chromium)"
    )
    if os.environ.get("CUPCAKE_REQUIRE_ALL_SUITES") == "1":
        pytest.fail(f"{message}; CUPCAKE_REQUIRE_ALL_SUITES=1 requires every suite to run")
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser(chromium_path: Path) -> Iterator[Browser]:
    """One headless Chromium for the whole session."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(chromium_path), args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def lab(chromium_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLab]:
    """A real lab for the tests of one module (they may kill its services), stopped afterwards."""
    running = start_lab(tmp_path_factory.mktemp("lab"))
    yield running
    assert stop_lab(running) == 0, running.output.read_text()


@pytest.fixture(scope="session")
def reading_lab(
    chromium_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningLab]:
    """One real lab for the whole session, shared by the modules that only read from it (and
    bake, which adds): starting a lab costs seconds of CPU that sharing it saves."""
    running = start_lab(tmp_path_factory.mktemp("reading-lab"))
    yield running
    assert stop_lab(running) == 0, running.output.read_text()


@pytest.fixture(scope="module")
def shared_lab(reading_lab: RunningLab, request: pytest.FixtureRequest) -> Iterator[RunningLab]:
    """The session's reading lab, lent to one module and checked to be left as it was found."""
    with lent(reading_lab, request.module.__name__) as running:
        yield running


@pytest.fixture(scope="module")
def chaos_lab(
    chromium_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningLab]:
    """A real lab started like `make up` does, with chaos (``cupcake-lab up --chaos``)."""
    running = start_lab(tmp_path_factory.mktemp("chaos-lab"), chaos=True)
    yield running
    assert stop_lab(running) == 0, running.output.read_text()


class PageProblems:
    """What went wrong inside the page: uncaught errors and Content-Security-Policy violations."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def on_page_error(self, error: Exception) -> None:
        """Record an uncaught exception of the page's scripts."""
        self.errors.append(f"uncaught: {error}")

    def on_console(self, message: ConsoleMessage) -> None:
        """Record a CSP violation; failed loads of a killed service's pictures are expected."""
        if message.type == "error" and "Content Security Policy" in message.text:
            self.errors.append(f"csp: {message.text}")


def page_open(
    browser: Browser, lab: RunningLab, viewport: dict[str, int]
) -> tuple[Page, PageProblems]:
    """A new browser context and page on the lab's front door, watched for problems."""
    context = browser.new_context(viewport=viewport, base_url=lab.urls["bodies"])  # type: ignore[arg-type]
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    problems = PageProblems()
    page.on("pageerror", problems.on_page_error)
    page.on("console", problems.on_console)
    return page, problems


@pytest.fixture
def page(browser: Browser, lab: RunningLab) -> Iterator[Page]:
    """A fresh desktop-sized page (1280x900); the test fails if the page's scripts failed."""
    opened, problems = page_open(browser, lab, DESKTOP)
    yield opened
    opened.context.close()
    assert problems.errors == []


@pytest.fixture
def phone_page(browser: Browser, lab: RunningLab) -> Iterator[Page]:
    """A fresh phone-sized page (375x800); the test fails if the page's scripts failed."""
    opened, problems = page_open(browser, lab, PHONE)
    yield opened
    opened.context.close()
    assert problems.errors == []
