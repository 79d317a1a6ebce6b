"""The chaos drawer in a real browser, on a lab started with ``--chaos`` as `make up` does:
faults injected inside each service from the page, seen on the page, undone from the page."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Page, Request, Route, expect

from tests.browser.lab_page import (
    CALM,
    chaos_confirmed,
    chaos_drawer,
    chaos_open,
    chaos_section,
    cupcake_expect,
    image_loaded,
    item_image_url,
    lab_chaos,
    lab_chaos_set,
    lab_open,
    layer_image,
    radio,
    status_of,
    unavailable_expect,
)
from tests.e2e.conftest import SERVICES, RunningLab

# The front door's deadline (REQUEST_DEADLINE) and what a composition may take on top of it
# on a busy two-core machine.
DEADLINE_S = 1.0
SLACK_S = 0.5
# Long enough for a cached answer to stop being fresh (its max-age) and the page to re-compose.
FAULT_SEEN_MS = 15_000


@pytest.fixture(scope="module")
def lab(chaos_lab: RunningLab) -> RunningLab:
    """This module's pages open on the lab started with chaos."""
    return chaos_lab


def all_ok(lab: RunningLab) -> bool:
    """Whether a composition finds every service ok."""
    answer = httpx.get(f"{lab.urls['bodies']}/api/v1/cupcake", timeout=5)
    services = answer.json().get("services", {}) if answer.status_code == 200 else {}
    return bool(services) and all(info["status"] == "ok" for info in services.values())


def calm_lab(lab: RunningLab) -> None:
    """Take every fault off and wait (bounded) until every service is ok again."""
    states = lab.statuses()
    for service in SERVICES:
        if states[service]["state"] != "running":
            assert lab.cli("start", service).returncode == 0
        lab_chaos_set(lab, service)
    deadline = time.monotonic() + 20
    while not all_ok(lab):
        assert time.monotonic() < deadline, "the lab did not recover within 20 s"
        time.sleep(0.25)


@pytest.fixture(autouse=True)
def calm(lab: RunningLab) -> Iterator[None]:
    """Each test starts, and leaves, a lab without faults where every service is ok."""
    calm_lab(lab)
    yield
    calm_lab(lab)


def focus_in_drawer(page: Page) -> bool:
    """Whether the keyboard focus is on something inside the chaos drawer."""
    return bool(
        page.evaluate(
            """() => {
                const drawer = document.getElementById("chaos-drawer");
                return drawer.contains(document.activeElement) && document.activeElement !== drawer;
            }"""
        )
    )


def test_the_chaos_button_opens_a_drawer_the_keyboard_can_use_and_leave(
    page: Page, lab: RunningLab
) -> None:
    lab_open(page)
    toggle = page.locator("#chaos-toggle")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")

    toggle.focus()
    page.keyboard.press("Enter")

    drawer = chaos_drawer(page)
    expect(drawer).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("dialog", name="Chaos")).to_be_visible()
    expect(drawer.locator(".chaos-intro")).to_have_text(
        "Faults injected inside each service — watch the panels degrade and recover."
    )
    sections = drawer.locator(".chaos-service")
    expect(sections).to_have_count(3)
    assert [s.get_attribute("data-service") for s in sections.all()] == list(SERVICES)
    for service, framework in zip(SERVICES, ("Django", "Flask", "Pyramid"), strict=True):
        section = chaos_section(page, service)
        expect(section.locator(".framework")).to_have_text(framework)
        expect(section.get_by_role("switch", name="Down")).not_to_be_checked()
        expect(section.get_by_role("slider", name="Latency")).to_have_value("0")
        expect(section.get_by_role("slider", name="Error rate")).to_have_value("0")
        expect(section.get_by_role("button", name=f"Reset {service}")).to_be_visible()
        expect(chaos_confirmed(page, service)).to_have_text(f"{service} confirms: no faults")
        expect(section.locator('[data-role="status"]')).to_have_attribute("data-status", "ok")
    expect(drawer.get_by_role("button", name="Reset all")).to_be_visible()

    # The focus moved into the drawer and stays there, forwards and backwards.
    assert focus_in_drawer(page)
    for _ in range(20):
        page.keyboard.press("Tab")
        assert focus_in_drawer(page)
    for _ in range(20):
        page.keyboard.press("Shift+Tab")
        assert focus_in_drawer(page)

    page.keyboard.press("Escape")
    expect(drawer).to_be_hidden()
    expect(toggle).to_be_focused()
    expect(toggle).to_have_attribute("aria-expanded", "false")

    # The close button and the backdrop close it too.
    chaos_open(page)
    drawer.get_by_role("button", name="Close the chaos drawer").click()
    expect(drawer).to_be_hidden()
    chaos_open(page)
    page.mouse.click(20, 450)
    expect(drawer).to_be_hidden()
    expect(toggle).to_be_focused()


def test_toppings_down_from_the_drawer_turns_its_light_unavailable_and_reset_brings_it_back(
    page: Page, lab: RunningLab
) -> None:
    lab_open(page, "?body=vanilla&frosting=vanilla&topping=cherry")
    cupcake_expect(page, lab, {"body": "vanilla", "frosting": "vanilla", "topping": "cherry"})
    chaos_open(page)
    toppings = chaos_section(page, "toppings")

    toppings.get_by_role("switch", name="Down").check()

    expect(chaos_confirmed(page, "toppings")).to_have_text("toppings confirms: down")
    assert lab_chaos(lab)["toppings"] == {**CALM, "down": True}
    expect(page.locator("#chaos-toggle")).to_contain_text("1")
    # "How failure looks" (docs/architecture.md): toppings down, the topping panel says
    # it is unavailable.
    unavailable_expect(page, "topping", timeout=FAULT_SEEN_MS)
    # The drawer shows the same light, so the fault can be watched with the drawer open.
    expect(toppings.locator('[data-role="status"]')).to_have_attribute("data-status", "unavailable")
    expect(toppings.locator('[data-role="status-detail"]')).to_be_visible()
    expect(page.locator("#lab-health")).to_contain_text("toppings unavailable")
    expect(status_of(page, "body")).to_have_text("ok")
    # The wire panel shows why it answers at once: the circuit to toppings is open.
    toppings_call = page.locator('#wire-calls tr.call[data-service="toppings"]')
    expect(toppings_call.locator('.call-badge[data-kind="breaker"]')).to_have_text("circuit open")
    expect(page.locator("#lab-offline")).to_be_hidden()

    toppings.get_by_role("button", name="Reset toppings").click()

    expect(chaos_confirmed(page, "toppings")).to_have_text("toppings confirms: no faults")
    expect(toppings.get_by_role("switch", name="Down")).not_to_be_checked()
    assert lab_chaos(lab)["toppings"] == CALM
    expect(status_of(page, "topping")).to_have_text("ok")
    expect(page.locator("#chaos-count")).to_be_hidden()
    page.keyboard.press("Escape")
    expect(radio(page, "topping", "cherry")).to_be_checked()
    cupcake_expect(page, lab, {"body": "vanilla", "frosting": "vanilla", "topping": "cherry"})
    expect(page.locator("#lab-health")).to_have_text("All 3 services up")


def test_frostings_slower_than_the_deadline_is_unavailable_at_once_and_the_page_still_answers(
    page: Page, lab: RunningLab
) -> None:
    compositions: list[Request] = []
    lab_open(page, "?body=vanilla&frosting=strawberry")
    cupcake_expect(page, lab, {"body": "vanilla", "frosting": "strawberry"})
    chaos_open(page)
    frostings = chaos_section(page, "frostings")

    frostings.get_by_role("slider", name="Latency").fill("1500")

    expect(chaos_confirmed(page, "frostings")).to_have_text("frostings confirms: 1.5 s latency")
    expect(frostings.locator('[data-role="latency-value"]')).to_have_text("1.5 s")
    page.on(
        "requestfinished",
        lambda request: (
            compositions.append(request)
            if urlsplit(request.url).path == "/api/v1/cupcake"
            else None
        ),
    )
    unavailable_expect(page, "frosting", timeout=FAULT_SEEN_MS)

    # The page keeps answering, each composition within the deadline, the body still drawn:
    # two more compositions, however long the busy machine takes to make them (bounded).
    wanted = len(compositions) + 2
    ends = time.monotonic() + FAULT_SEEN_MS / 1000
    while len(compositions) < wanted:
        assert time.monotonic() < ends, f"{len(compositions)} compositions, not {wanted}"
        page.wait_for_timeout(100)
    for request in compositions:
        response = request.response()
        assert response is not None and response.status == 200
        took = request.timing["responseEnd"] / 1000
        assert 0 < took < DEADLINE_S + SLACK_S, f"a composition took {took:.2f} s"
    expect(page.locator("#lab-offline")).to_be_hidden()
    body = layer_image(page, "body")
    expect(body).to_have_attribute("src", item_image_url(lab, "body", "vanilla"))
    assert image_loaded(body)
    started = time.perf_counter()
    answer = httpx.get(f"{lab.urls['bodies']}/api/v1/cupcake?body=vanilla", timeout=5)
    assert answer.status_code == 200 and time.perf_counter() - started < DEADLINE_S + SLACK_S
    assert answer.json()["services"]["frostings"]["status"] == "unavailable"

    frostings.get_by_role("button", name="Reset frostings").click()

    expect(chaos_confirmed(page, "frostings")).to_have_text("frostings confirms: no faults")
    expect(frostings.get_by_role("slider", name="Latency")).to_have_value("0")
    expect(status_of(page, "frosting")).to_have_text("ok")
    cupcake_expect(page, lab, {"body": "vanilla", "frosting": "strawberry"})


def test_sliders_send_after_a_pause_and_show_what_the_service_confirmed(
    page: Page, lab: RunningLab
) -> None:
    puts: list[str] = []
    page.on(
        "request",
        lambda request: puts.append(request.post_data or "") if request.method == "PUT" else None,
    )
    lab_open(page)
    chaos_open(page)
    bodies = chaos_section(page, "bodies")
    latency = bodies.get_by_role("slider", name="Latency")

    latency.focus()
    for _ in range(8):
        page.keyboard.press("ArrowRight")

    expect(bodies.locator('[data-role="latency-value"]')).to_have_text("800 ms")
    expect(chaos_confirmed(page, "bodies")).to_have_text("bodies confirms: 800 ms latency")
    assert 1 <= len(puts) < 8, puts
    # The drawer's faults have no expiry: it sends none.
    assert json.loads(puts[-1]) == {"latency_ms": 800, "error_rate": 0, "down": False}
    assert lab_chaos(lab)["bodies"] == {**CALM, "latency_ms": 800}
    expect(latency).to_have_attribute("aria-valuetext", "800 ms")

    chaos_section(page, "toppings").get_by_role("slider", name="Error rate").fill("30")
    expect(chaos_confirmed(page, "toppings")).to_have_text("toppings confirms: 30 % errors")
    expect(page.locator("#chaos-count")).to_contain_text("2")
    expect(chaos_section(page, "toppings")).to_have_attribute("data-faults", "on")

    chaos_drawer(page).get_by_role("button", name="Reset all").click()

    for service in SERVICES:
        expect(chaos_confirmed(page, service)).to_have_text(f"{service} confirms: no faults")
    expect(latency).to_have_value("0")
    expect(page.locator("#chaos-count")).to_be_hidden()
    assert all(settings == CALM for settings in lab_chaos(lab).values())


def test_bodies_down_takes_the_page_offline_but_the_drawer_still_brings_it_back(
    page: Page, lab: RunningLab
) -> None:
    lab_open(page, "?body=chocolate")
    chaos_open(page)
    bodies = chaos_section(page, "bodies")

    bodies.get_by_role("switch", name="Down").check()

    expect(chaos_confirmed(page, "bodies")).to_have_text("bodies confirms: down")
    expect(page.locator("#lab-offline")).to_contain_text("The lab answered 503")
    expect(bodies.locator('[data-role="status"]')).to_have_attribute("data-status", "unavailable")

    bodies.get_by_role("switch", name="Down").uncheck()

    expect(chaos_confirmed(page, "bodies")).to_have_text("bodies confirms: no faults")
    expect(page.locator("#lab-offline")).to_be_hidden()
    expect(bodies.locator('[data-role="status"]')).to_have_attribute("data-status", "ok")
    expect(radio(page, "body", "chocolate")).to_be_checked()


def test_a_change_a_stopped_service_cannot_take_is_explained_in_words(
    page: Page, lab: RunningLab
) -> None:
    lab_open(page)
    assert lab.cli("kill", "toppings").returncode == 0
    chaos_open(page)
    toppings = chaos_section(page, "toppings")
    expect(chaos_confirmed(page, "toppings")).to_have_text(
        "toppings did not answer: its faults are unknown."
    )

    toppings.get_by_role("switch", name="Down").check()

    error = toppings.get_by_role("alert")
    expect(error).to_contain_text("Not applied (503) — toppings could not be reached")
    expect(error).to_contain_text("Is toppings running?")
    assert lab.cli("start", "toppings").returncode == 0
    lab.wait_ready("toppings")
    # The drawer asks again every few seconds and shows what toppings really has.
    expect(chaos_confirmed(page, "toppings")).to_have_text("toppings confirms: no faults")
    expect(toppings.get_by_role("switch", name="Down")).not_to_be_checked()


def test_settings_the_lab_refuses_are_explained_and_the_controls_go_back(
    page: Page, lab: RunningLab
) -> None:
    """The drawer's controls cannot make a 422, so the lab's answer is replayed here."""
    refusal = {
        "type": "urn:cupcake-lab:problem:invalid-input",
        "title": "Invalid input",
        "status": 422,
        "detail": "error_rate must be a number between 0 and 1",
    }

    def refuse(route: Route) -> None:
        route.fulfill(status=422, content_type="application/problem+json", body=json.dumps(refusal))

    lab_open(page)
    page.route(re.compile(r"/api/v1/lab/chaos/frostings$"), refuse)
    chaos_open(page)
    frostings = chaos_section(page, "frostings")

    frostings.get_by_role("slider", name="Error rate").fill("40")

    expect(frostings.get_by_role("alert")).to_have_text(
        "Not applied (422) — refused as invalid: error_rate must be a number between 0 and 1."
    )
    expect(frostings.get_by_role("slider", name="Error rate")).to_have_value("0")
    expect(chaos_confirmed(page, "frostings")).to_have_text("frostings confirms: no faults")
