"""The catalogue kept rendered per version: never older than an acknowledged write.

A write made by another process (another worker, another host) on the same database
must show at once in this process's list and compositions, which it had kept rendered.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bodies.catalogue.models import Body, CatalogueVersion

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


def test_an_unchanged_list_is_served_reading_only_the_version(client: Client) -> None:
    first = client.get("/api/v1/bodies")

    with CaptureQueriesContext(connection) as queries:
        again = client.get("/api/v1/bodies")

    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert [query["sql"] for query in queries] == [
        f"SELECT version FROM {CatalogueVersion._meta.db_table}"
    ]


def test_a_body_created_by_another_process_shows_at_once(
    client: Client, database_url: str, tmp_path: Path, fake_peers: Any
) -> None:
    before = client.get("/api/v1/bodies")
    client.get("/api/v1/cupcake")

    another_process_runs(
        f"from bodies.catalogue.models import Body\nBody.objects.create(**{LEMON!r})",
        database_url=database_url,
        tmp_path=tmp_path,
    )

    assert "lemon" in slugs(client)
    composed = client.get("/api/v1/cupcake").json()
    assert "lemon" in [body["slug"] for body in composed["choices"]["bodies"]]
    stale_tag = {"HTTP_IF_NONE_MATCH": before["ETag"]}
    assert client.get("/api/v1/bodies", **stale_tag).status_code == 200


def test_a_body_deleted_by_another_process_goes_at_once(
    client: Client, database_url: str, tmp_path: Path
) -> None:
    slugs(client)

    another_process_runs(
        "from bodies.catalogue.models import Body\nBody.objects.get(slug='chocolate').delete()",
        database_url=database_url,
        tmp_path=tmp_path,
    )

    assert slugs(client) == ["carrot-cake", "vanilla"]


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


def test_a_refused_write_keeps_the_version(client: Client, auth: dict[str, str]) -> None:
    client.get("/api/v1/bodies")
    version = CatalogueVersion.objects.get().version
    taken = {**LEMON, "slug": "vanilla"}

    response = client.post(
        "/api/v1/bodies", data=json.dumps(taken), content_type="application/json", headers=auth
    )

    assert response.status_code == 409
    assert CatalogueVersion.objects.get().version == version


@pytest.mark.usefixtures("database")
def test_every_save_and_delete_gives_a_new_version() -> None:
    versions = {CatalogueVersion.objects.get().version}
    body = Body.objects.create(**LEMON)
    versions.add(CatalogueVersion.objects.get().version)
    body.name = "Lime"
    body.save()
    versions.add(CatalogueVersion.objects.get().version)
    body.delete()
    versions.add(CatalogueVersion.objects.get().version)

    assert len(versions) == 4


def test_without_its_version_row_the_list_is_read_every_time(client: Client) -> None:
    CatalogueVersion.objects.all().delete()
    client.get("/api/v1/bodies")

    with CaptureQueriesContext(connection) as queries:
        assert slugs(client) == ["carrot-cake", "chocolate", "vanilla"]

    assert len(queries) == 2
