"""The trace panel in a real browser: a composition's spans from the three services, nested
by parent on one time axis; with toppings stalled, its calls refused by the breaker and no
span of toppings, the composition still on time."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import DESKTOP, PHONE, page_open
from tests.browser.lab_page import lab_chaos_set, lab_open
from tests.browser.test_chaos import DEADLINE_S, SLACK_S, calm_lab
from tests.browser.test_screenshots import IMAGES
from tests.e2e.conftest import RunningLab
from tests.e2e.traces import chain_nested

# Long enough for three compositions to time out (the breaker opens) on a busy machine.
BREAKER_SEEN_MS = 20_000
STRAWBERRY = "?body=vanilla&frosting=strawberry&topping=cherry"


@pytest.fixture(scope="module")
def lab(chaos_lab: RunningLab) -> RunningLab:
    """This module's pages open on a lab started with chaos, as `make up` starts it."""
    return chaos_lab


@pytest.fixture(autouse=True)
def calm(lab: RunningLab) -> Iterator[None]:
    """Each test starts, and leaves, a lab without faults where every service is ok."""
    calm_lab(lab)
    yield
    calm_lab(lab)


def rows(page: Page) -> list[dict[str, Any]]:
    """The spans the panel shows, as its rows describe them."""
    found: list[dict[str, Any]] = page.evaluate(
        """() => [...document.querySelectorAll("#trace-spans .span")].map((row) => ({
            span_id: row.dataset.spanId,
            parent_id: row.dataset.parentId || null,
            service: row.dataset.service,
            kind: row.dataset.kind,
            peer: row.dataset.peer || null,
            error: row.dataset.error || null,
            level: Number(row.getAttribute("aria-level")),
        }))"""
    )
    return found


def wait_for_rows(page: Page, check: Any, *, timeout_ms: float) -> list[dict[str, Any]]:
    """The rows once ``check`` holds for them (bounded by ``timeout_ms``)."""
    ends = time.monotonic() + timeout_ms / 1000
    while not check(shown := rows(page)):
        assert time.monotonic() < ends, f"the trace panel never showed it: {shown}"
        page.wait_for_timeout(200)
    return shown


def test_a_composition_shows_its_whole_trace_nested_across_three_services(page: Page) -> None:
    lab_open(page, STRAWBERRY)

    shown = wait_for_rows(page, chain_nested, timeout_ms=15_000)

    # Each row sits one level under the row of its parent, and after it.
    by_id = {row["span_id"]: (index, row) for index, row in enumerate(shown)}
    for index, row in enumerate(shown):
        if row["parent_id"] in by_id:
            parent_index, parent = by_id[row["parent_id"]]
            assert parent_index < index and row["level"] == parent["level"] + 1
    assert shown[0]["service"] == "bodies" and shown[0]["level"] == 1
    summary = page.locator("#trace-summary")
    expect(summary).to_contain_text("from bodies")
    # The keyboard opens a row's details; its name says service, framework and route.
    served = page.get_by_role("button", name="toppings Pyramid GET /api/v1/toppings").first
    served.focus()
    page.keyboard.press("Enter")
    expect(served).to_have_attribute("aria-expanded", "true")
    details = page.locator(f"#{served.get_attribute('aria-controls')}")
    expect(details).to_be_visible()
    expect(details).to_contain_text("Pyramid")
    page.keyboard.press("Enter")
    expect(details).to_be_hidden()


def test_with_toppings_stalled_the_trace_shows_the_breaker_refusing_and_no_toppings_span(
    page: Page, lab: RunningLab
) -> None:
    lab_open(page, STRAWBERRY)
    wait_for_rows(page, chain_nested, timeout_ms=15_000)

    lab_chaos_set(lab, "toppings", latency_ms=1500)

    def refused(shown: list[dict[str, Any]]) -> bool:
        return any(
            row["service"] == "bodies"
            and row["peer"] == "toppings"
            and row["error"] == "circuit_open"
            for row in shown
        )

    shown = wait_for_rows(page, refused, timeout_ms=BREAKER_SEEN_MS)
    assert not [row for row in shown if row["service"] == "toppings"]
    breaker = page.locator(
        '#trace-spans .span[data-service="bodies"][data-peer="toppings"] '
        '.span-note[data-kind="breaker"][data-state="open"]'
    )
    expect(breaker.first).to_be_visible()
    # The composition in that trace was answered on time: its own server span says so.
    trace_id = page.locator("#trace-spans").get_attribute("data-trace-id")
    trace = httpx.get(f"{lab.urls['bodies']}/api/v1/traces/{trace_id}", timeout=5).json()
    served = next(s for s in trace["spans"] if s["service"] == "bodies" and s["kind"] == "server")
    assert served["duration_ms"] < (DEADLINE_S + SLACK_S) * 1000
    assert not [s for s in trace["spans"] if s["service"] == "toppings"]


def test_screenshot_of_the_trace_panel_for_the_readme(browser: Browser, lab: RunningLab) -> None:
    """The trace panel of a composed cupcake, a call's details open, at desktop and phone
    widths (test-results/screenshots/; `make screenshots` copies them to docs/images/)."""
    for viewport, name in [(DESKTOP, "lab-trace.png"), (PHONE, "lab-trace-phone.png")]:
        page, problems = page_open(browser, lab, viewport)
        try:
            lab_open(page, STRAWBERRY)
            wait_for_rows(page, chain_nested, timeout_ms=15_000)
            call = page.locator('#trace-spans .span[data-kind="client"][data-peer="frostings"]')
            call.last.locator(".span-row").click()
            panel = page.locator("#trace")
            panel.scroll_into_view_if_needed()
            IMAGES.mkdir(parents=True, exist_ok=True)
            panel.screenshot(path=str(IMAGES / name), animations="disabled")
        finally:
            page.context.close()
        assert problems.errors == []
