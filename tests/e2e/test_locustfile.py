"""bench/locustfile.py plays people on a real lab: a short headless Locust run, read back
from the CSV files Locust writes."""

from __future__ import annotations

from pathlib import Path

import httpx

from .conftest import RunningLab
from .locust_runs import assert_no_failures, locust_run


def test_every_kind_of_visit_runs_against_a_healthy_lab_without_a_failure(
    lab: RunningLab, tmp_path: Path
) -> None:
    run = locust_run(lab, tmp_path)

    assert_no_failures(run)
    assert run.count("GET", "/") > 0, run.output  # the page
    assert run.count("GET", "/static/{asset}") > 0, run.output
    assert run.count("GET", "/api/v1/cupcake") > 0, run.output  # composing, polling
    assert run.count("POST", "/api/v1/cupcakes") > 0, run.output  # baking
    assert run.count("GET", "/api/v1/cupcakes?page={n}") > 0, run.output  # the gallery
    for service in ("bodies", "frostings", "toppings"):
        assert run.count("GET", f"{service}: /api/v1/{service}/{{slug}}/image.svg") > 0
    assert not [name for _, name in run.requests if "service down" in name], run.requests
    gallery = httpx.get(f"{lab.urls['bodies']}/api/v1/cupcakes").json()
    # Every 201 counted was saved (a bake still on its way when the run ended may be too).
    assert gallery["total"] >= run.count("POST", "/api/v1/cupcakes")


def test_a_killed_toppings_service_is_survived_without_a_failure(
    lab: RunningLab, tmp_path: Path
) -> None:
    baked = httpx.post(
        f"{lab.urls['bodies']}/api/v1/cupcakes",
        json={"body": "vanilla", "frosting": "vanilla", "topping": "cherry"},
    )
    assert baked.status_code == 201, baked.text  # the gallery shows a toppings picture
    assert lab.cli("kill", "toppings").returncode == 0
    try:
        run = locust_run(lab, tmp_path)
    finally:
        assert lab.cli("start", "toppings").returncode == 0
        lab.wait_ready("toppings")

    assert_no_failures(run)
    assert run.count("GET", "/api/v1/cupcake") > 0, run.output  # 200 all along
    down = "toppings: /api/v1/toppings/{slug}/image.svg [service down]"
    assert run.count("GET", down) > 0, run.requests  # the gallery's pictures of toppings
    assert run.count("GET", "toppings: /api/v1/toppings/{slug}/image.svg") == 0, run.requests
