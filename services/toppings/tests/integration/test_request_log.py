"""One log line per request; never the token."""

from __future__ import annotations

import logging
import re

import pytest
from webtest import TestApp


def test_each_request_is_logged_once_with_method_path_status_and_time(
    testapp: TestApp, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="cupcake.access"):
        testapp.get("/api/v1/toppings/cherry")
        testapp.get("/nope", status=404)
    records = [r for r in caplog.records if r.name == "cupcake.access"]
    lines = [r.getMessage() for r in records]
    assert len(lines) == 2
    assert re.fullmatch(r"GET /api/v1/toppings/cherry 200 \d+\.\dms", lines[0])
    assert re.fullmatch(r"GET /nope 404 \d+\.\dms", lines[1])
    assert [r.__dict__["route"] for r in records] == ["/api/v1/toppings/{slug}", "<unmatched>"]


def test_the_admin_token_never_reaches_the_log(
    testapp: TestApp, admin: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    token = admin["Authorization"].split()[1]
    with caplog.at_level(logging.DEBUG):
        testapp.post_json("/api/v1/toppings", {"slug": "x"}, headers=admin, status=422)
        testapp.patch_json("/api/v1/toppings/cherry", {"name": "C"}, headers=admin)
        testapp.delete(
            "/api/v1/toppings/cherry", headers={"Authorization": "Bearer wrong-one"}, status=401
        )
    assert caplog.records
    assert not any(token in r.getMessage() or "wrong-one" in r.getMessage() for r in caplog.records)
