"""The catalogue kept rendered per change token: never older than an acknowledged write.

A write made by another process (another worker, another host) on the same database must
show in this process's reads and compositions, which it had kept rendered: at once on
SQLite, within the notification's delivery on PostgreSQL (bounded here by a second).
"""

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bodies.catalogue.kept import catalogue_changes
from bodies.catalogue.models import Body

pytestmark = pytest.mark.integration

LEMON = {"slug": "lemon", "name": "Lemon", "description": "Zesty.", "color": "#f7e36b"}


def slugs(client: Client) -> list[str]:
    """The slugs of the bodies list."""
    return [item["slug"] for item in client.get("/api/v1/bodies").json()["items"]]


def another_process_runs(code: str, *, database_url: str, tmp_path: Path) -> None:
    """Run ``code`` with Django set up on the database at ``database_url``, in another process."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bodies.config.settings",
        "DATABASE_URL": database_url,
        "CUPCAKE_STATE_DIR": str(tmp_path),
    }
    script = f"import django\ndjango.setup()\n{code}"
    subprocess.run([sys.executable, "-c", script], env=environment, check=True, capture_output=True)


# How long a write of another process may take to show: none on SQLite (the token file),
# the delivery of a NOTIFY on PostgreSQL (milliseconds; a second allows for a loaded machine).
NOTIFY_BOUND = 1.0


def shows(check: Callable[[], bool], *, backend: str) -> bool:
    """Whether ``check`` holds at once (SQLite), or within ``NOTIFY_BOUND`` (PostgreSQL)."""
    deadline = time.monotonic() + (NOTIFY_BOUND if backend == "postgresql" else 0)
    while not check():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.005)
    return True


@pytest.mark.parametrize("path", ["/api/v1/bodies", "/api/v1/bodies/vanilla"])
def test_an_unchanged_read_is_served_without_a_query(client: Client, path: str) -> None:
    first = client.get(path)

    with CaptureQueriesContext(connection) as queries:
        again = client.get(path)

    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert [query["sql"] for query in queries] == []


def test_a_body_created_by_another_process_shows_at_once(
    client: Client, database_url: str, tmp_path: Path, fake_peers: Any, backend: str
) -> None:
    before = client.get("/api/v1/bodies")
    client.get("/api/v1/cupcake")

    another_process_runs(
        f"from bodies.catalogue.models import Body\nBody.objects.create(**{LEMON!r})",
        database_url=database_url,
        tmp_path=tmp_path,
    )

    assert shows(lambda: "lemon" in slugs(client), backend=backend)
    composed = client.get("/api/v1/cupcake").json()
    assert "lemon" in [body["slug"] for body in composed["choices"]["bodies"]]
    stale_tag = {"If-None-Match": before["ETag"]}
    assert client.get("/api/v1/bodies", headers=stale_tag).status_code == 200


def test_a_body_deleted_by_another_process_goes_at_once(
    client: Client, database_url: str, tmp_path: Path, backend: str
) -> None:
    slugs(client)
    client.get("/api/v1/bodies/chocolate")

    another_process_runs(
        "from bodies.catalogue.models import Body\nBody.objects.get(slug='chocolate').delete()",
        database_url=database_url,
        tmp_path=tmp_path,
    )

    assert shows(lambda: slugs(client) == ["carrot-cake", "vanilla"], backend=backend)
    assert client.get("/api/v1/bodies/chocolate").status_code == 404


def test_a_change_through_the_api_shows_at_once(client: Client, auth: dict[str, str]) -> None:
    client.get("/api/v1/bodies")

    client.patch(
        "/api/v1/bodies/vanilla",
        data=json.dumps({"name": "Madagascar Vanilla"}),
        content_type="application/json",
        headers=auth,
    )

    names = [item["name"] for item in client.get("/api/v1/bodies").json()["items"]]
    assert "Madagascar Vanilla" in names


def test_a_change_through_the_api_shows_at_once_in_the_detail(
    client: Client, auth: dict[str, str]
) -> None:
    client.get("/api/v1/bodies/vanilla")

    client.patch(
        "/api/v1/bodies/vanilla",
        data=json.dumps({"name": "Madagascar Vanilla"}),
        content_type="application/json",
        headers=auth,
    )

    assert client.get("/api/v1/bodies/vanilla").json()["name"] == "Madagascar Vanilla"


def test_a_refused_write_tells_no_change(client: Client, auth: dict[str, str]) -> None:
    client.get("/api/v1/bodies")
    token = catalogue_changes().token()
    taken = {**LEMON, "slug": "vanilla"}

    response = client.post(
        "/api/v1/bodies", data=json.dumps(taken), content_type="application/json", headers=auth
    )

    assert response.status_code == 409
    assert catalogue_changes().token() == token


@pytest.mark.usefixtures("database")
def test_every_save_and_delete_gives_a_new_token() -> None:
    tokens = {catalogue_changes().token()}
    body = Body.objects.create(**LEMON)
    tokens.add(catalogue_changes().token())
    body.name = "Lime"
    body.save()
    tokens.add(catalogue_changes().token())
    body.delete()
    tokens.add(catalogue_changes().token())

    assert len(tokens) == 4 and None not in tokens
