"""Catalogue reads kept rendered per change token: never older than an acknowledged write.

Two applications on one database stand for two worker processes: a write through one must
show at once in the other's reads, which it had kept rendered. (On PostgreSQL both share
this process's listener; delivery to other processes is the chassis' ``test_changes``.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import event
from webtest import TestApp

from cupcake_testing.changes import NoToken, change_signal_ready

GUM = {"slug": "gum-drop", "name": "Gum Drop", "color": "#22c55e"}


@pytest.fixture
def two_apps(make_testapp: Callable[..., TestApp]) -> tuple[TestApp, TestApp]:
    """Two separately built applications on this test's database, their changes told."""
    apps = make_testapp(), make_testapp()
    for app in apps:
        change_signal_ready(app.app.registry["catalogue_changes"])
    return apps


def slugs(app: TestApp, query: str = "") -> list[str]:
    """The slugs the list of ``app`` shows."""
    return [item["slug"] for item in app.get(f"/api/v1/toppings{query}").json["items"]]


def reads_of_toppings(statements: list[str]) -> list[str]:
    """The statements among ``statements`` that read the toppings table."""
    return [statement for statement in statements if "FROM toppings" in statement]


@pytest.fixture
def statements(two_apps: tuple[TestApp, TestApp]) -> Iterator[list[str]]:
    """The SQL the first application's engine runs from now on."""
    engine = two_apps[0].app.registry["dbengine"]
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


def test_an_unchanged_list_is_served_without_reading_the_toppings(
    two_apps: tuple[TestApp, TestApp], statements: list[str]
) -> None:
    reader, _ = two_apps
    first = reader.get("/api/v1/toppings")
    statements.clear()

    again = reader.get("/api/v1/toppings")

    assert again.body == first.body and again.headers["ETag"] == first.headers["ETag"]
    assert not reads_of_toppings(statements)


@pytest.mark.parametrize("query", ["", "?slug=gum-drop,cherry"])
def test_a_create_through_one_app_shows_at_once_in_the_others_list(
    two_apps: tuple[TestApp, TestApp], admin: dict[str, str], query: str
) -> None:
    reader, writer = two_apps
    before = reader.get(f"/api/v1/toppings{query}")

    writer.post_json("/api/v1/toppings", GUM, headers=admin, status=201)

    assert "gum-drop" in slugs(reader, query)
    reader.get(
        f"/api/v1/toppings{query}", headers={"If-None-Match": before.headers["ETag"]}, status=200
    )


def test_an_update_through_one_app_shows_at_once_in_the_others_list(
    two_apps: tuple[TestApp, TestApp], admin: dict[str, str]
) -> None:
    reader, writer = two_apps
    reader.get("/api/v1/toppings")

    writer.patch_json("/api/v1/toppings/cherry", {"name": "Morello"}, headers=admin)

    names = [item["name"] for item in reader.get("/api/v1/toppings").json["items"]]
    assert "Morello" in names


def test_a_delete_through_one_app_shows_at_once_in_the_others_list(
    two_apps: tuple[TestApp, TestApp], admin: dict[str, str]
) -> None:
    reader, writer = two_apps
    reader.get("/api/v1/toppings")

    writer.delete("/api/v1/toppings/flag", headers=admin, status=204)

    assert slugs(reader) == ["cherry", "sprinkles"]


def test_a_refused_write_keeps_the_version(
    two_apps: tuple[TestApp, TestApp], admin: dict[str, str], statements: list[str]
) -> None:
    reader, writer = two_apps
    reader.get("/api/v1/toppings")
    taken = {**GUM, "slug": "cherry"}
    writer.post_json("/api/v1/toppings", taken, headers=admin, status=409)
    statements.clear()

    reader.get("/api/v1/toppings")

    assert not reads_of_toppings(statements)


def test_without_a_change_token_the_list_is_read_every_time(
    two_apps: tuple[TestApp, TestApp], statements: list[str]
) -> None:
    reader, _ = two_apps
    reader.app.registry["catalogue_changes"] = NoToken()
    reader.get("/api/v1/toppings")
    statements.clear()

    assert slugs(reader) == ["cherry", "flag", "sprinkles"]
    assert reads_of_toppings(statements)


def test_an_unchanged_topping_is_served_without_reading_it(
    two_apps: tuple[TestApp, TestApp], statements: list[str]
) -> None:
    reader, _ = two_apps
    first = reader.get("/api/v1/toppings/flag")
    statements.clear()

    again = reader.get("/api/v1/toppings/flag")

    assert again.body == first.body and again.headers["ETag"] == first.headers["ETag"]
    assert not reads_of_toppings(statements)


def test_a_topping_changed_through_one_app_shows_at_once_in_the_other(
    two_apps: tuple[TestApp, TestApp], admin: dict[str, str]
) -> None:
    reader, writer = two_apps
    reader.get("/api/v1/toppings/cherry")

    writer.patch_json("/api/v1/toppings/cherry", {"name": "Morello"}, headers=admin)

    assert reader.get("/api/v1/toppings/cherry").json["name"] == "Morello"


def test_a_deleted_topping_is_gone_at_once_from_the_other(
    two_apps: tuple[TestApp, TestApp], admin: dict[str, str]
) -> None:
    reader, writer = two_apps
    reader.get("/api/v1/toppings/flag")

    writer.delete("/api/v1/toppings/flag", headers=admin, status=204)

    reader.get("/api/v1/toppings/flag", status=404)


def test_a_rolled_back_write_tells_no_change(
    two_apps: tuple[TestApp, TestApp], admin: dict[str, str]
) -> None:
    reader, writer = two_apps
    reader.get("/api/v1/toppings")
    before = reader.app.registry["catalogue_changes"].token()

    writer.post_json("/api/v1/toppings", {**GUM, "slug": "cherry"}, headers=admin, status=409)

    assert reader.app.registry["catalogue_changes"].token() == before
