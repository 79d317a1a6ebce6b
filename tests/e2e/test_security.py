"""Secure by default, with real processes: loopback only, no token in any log, the page's
headers, and a bake rate limit that holds across several granian workers."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psutil
import pytest

from .conftest import SERVICES, RunningLab, start_lab, stop_lab, wait_until
from .test_observability import SEEN_WITHIN, log_records, trace_new, whole_lines

BAKES_ALLOWED = 4
CUPCAKE = {"body": "vanilla", "frosting": "strawberry", "topping": "cherry"}


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLab]:
    """A lab of two worker processes per service, chaos on, and a small bake rate limit."""
    running = start_lab(
        tmp_path_factory.mktemp("secure-lab"),
        chaos=True,
        extra_env={"CUPCAKE_WORKERS": "2", "BAKE_RATE_LIMIT": f"{BAKES_ALLOWED}/hour"},
    )
    yield running
    assert stop_lab(running) == 0, running.output.read_text()


def listening_addresses(pid: int) -> set[str]:
    """The addresses the process ``pid`` and its children listen on."""
    root = psutil.Process(pid)
    return {
        connection.laddr.ip
        for process in (root, *root.children(recursive=True))
        for connection in process.net_connections(kind="inet")
        if connection.status == psutil.CONN_LISTEN
    }


def test_every_service_listens_on_loopback_only(lab: RunningLab) -> None:
    statuses = lab.statuses()

    for name in SERVICES:
        pid = statuses[name]["pid"]
        assert isinstance(pid, int)
        assert listening_addresses(pid) == {"127.0.0.1"}, name


def test_the_page_carries_its_policy_and_the_security_headers(lab: RunningLab) -> None:
    page = httpx.get(f"{lab.urls['bodies']}/", timeout=5)

    policy = dict(
        directive.strip().split(" ", 1)
        for directive in page.headers["content-security-policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert set(policy["img-src"].split()) == {"'self'", *lab.urls.values()}
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "same-origin"
    assert "set-cookie" not in page.headers


def bake(lab: RunningLab, name: str) -> httpx.Response:
    """Bake one cupcake on a connection of its own (so the workers share the requests)."""
    with httpx.Client(timeout=20) as client:
        return client.post(
            f"{lab.urls['bodies']}/api/v1/cupcakes",
            json={**CUPCAKE, "name": name},
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )


def test_the_bake_rate_limit_holds_across_worker_processes(lab: RunningLab) -> None:
    # Warm the peers up, so that the bakes are answered rather than timed out.
    httpx.get(f"{lab.urls['bodies']}/api/v1/cupcake?body=vanilla&frosting=strawberry", timeout=10)
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(lambda n: bake(lab, f"Rate {n}"), range(3 * BAKES_ALLOWED)))

    statuses = [answer.status_code for answer in answers]
    # Every bake counts, even one a busy peer made fail (503): exactly the allowance passes.
    assert len(statuses) - statuses.count(429) == BAKES_ALLOWED, statuses
    assert set(statuses) <= {201, 503, 429} and 201 in statuses, statuses
    refused = next(answer for answer in answers if answer.status_code == 429)
    assert refused.headers["content-type"] == "application/problem+json"
    assert int(refused.headers["retry-after"]) >= 1
    gallery = httpx.get(f"{lab.urls['bodies']}/api/v1/cupcakes?page_size=50", timeout=5).json()
    assert gallery["total"] == statuses.count(201)


def all_logged(lab: RunningLab, trace_id: str, *, requests: int) -> bool:
    """Whether every service's log file and the launcher's output hold the access lines of
    the ``requests`` requests each service was sent in the trace (lines are written off the
    request path, by each worker process, a moment after the answer)."""
    printed = [line for line in whole_lines(lab.output) if f"trace {trace_id[:8]}" in line]
    return all(
        sum(
            r.get("trace_id") == trace_id and r["logger"] == "cupcake.access"
            for r in log_records(lab, name)
        )
        >= requests
        and sum(line.lstrip().startswith(f"{name} |") for line in printed) >= requests
        for name in SERVICES
    )


def test_the_token_never_reaches_a_log_right_or_wrong(lab: RunningLab) -> None:
    wrong = f"wrong-{uuid.uuid4().hex}"
    # Every request in one trace, so that the test can wait until all their lines are written.
    trace_id, traceparent = trace_new()
    traced = {"traceparent": traceparent}
    for name in SERVICES:
        item = {"slug": f"secret-{name}", "name": "Secret", "color": "#123456"}
        url = f"{lab.urls[name]}/api/v1/{name}"
        for token in (lab.token, wrong):
            headers = {"Authorization": f"Bearer {token}", **traced}
            httpx.post(url, json=item, headers=headers, timeout=10)
            httpx.delete(f"{url}/{item['slug']}", headers=headers, timeout=10)
            chaos = httpx.get(f"{lab.urls[name]}/_chaos", headers=headers, timeout=10)
            assert chaos.status_code == (200 if token == lab.token else 401)
        bare = {"Authorization": lab.token, **traced}
        httpx.delete(f"{url}/{item['slug']}", headers=bare, timeout=10)
    assert lab.cli("status").returncode == 0
    # Its five requests to each service's API (the chaos endpoint is not access-logged).
    wait_until(lambda: all_logged(lab, trace_id, requests=5), timeout=SEEN_WITHIN)

    logs = Path(lab.env["CUPCAKE_STATE_DIR"]) / "logs"
    written = {path.name: path.read_text() for path in logs.glob("*.log")}
    written["launcher"] = lab.output.read_text()
    assert set(written) == {f"{name}.log" for name in SERVICES} | {"launcher"}
    assert all("/api/v1/" in text for name, text in written.items() if name != "launcher")
    for text in written.values():
        assert lab.token not in text
        assert wrong not in text
