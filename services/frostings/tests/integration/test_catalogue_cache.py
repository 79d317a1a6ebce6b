"""Catalogue reads kept rendered per change token: never older than an acknowledged write.

Two apps on one database stand for two worker processes: a write through one must show at
once in the other's reads, which it had kept rendered. (On PostgreSQL both share this
process's listener; delivery to other processes is the chassis' ``test_changes``.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from apiflask import APIFlask
from flask.testing import FlaskClient
from sqlalchemy import event

from cupcake_testing.changes import NoToken
from frostings.catalogue_cache import SIGNAL_KEY
from frostings.extensions import db

LEMON = {"slug": "lemon-zest", "name": "Lemon Zest", "color": "#fff44f", "bodies": ["vanilla"]}


@pytest.fixture
def writer(app: APIFlask, make_app: Callable[..., APIFlask]) -> FlaskClient:
    """A client of a second app on the same database as ``client``'s."""
    return make_app(SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"]).test_client()


def slugs(client: FlaskClient, query: str = "") -> list[str]:
    """The slugs the frostings list of ``client``'s app shows."""
    return [item["slug"] for item in client.get(f"/api/v1/frostings{query}").get_json()["items"]]


@pytest.fixture
def frosting_reads(app: APIFlask) -> Iterator[list[str]]:
    """The statements reading the frostings table that ``app`` runs from now on."""
    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if "FROM frostings" in statement:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


def test_an_unchanged_list_is_served_without_reading_the_frostings(
    client: FlaskClient, frosting_reads: list[str]
) -> None:
    first = client.get("/api/v1/frostings")
    frosting_reads.clear()

    again = client.get("/api/v1/frostings")

    assert again.data == first.data and again.headers["ETag"] == first.headers["ETag"]
    assert frosting_reads == []


@pytest.mark.parametrize("query", ["", "?body=vanilla"])
def test_a_create_through_one_app_shows_at_once_in_the_others_list(
    client: FlaskClient, writer: FlaskClient, admin: dict[str, str], query: str
) -> None:
    before = client.get(f"/api/v1/frostings{query}")

    assert writer.post("/api/v1/frostings", json=LEMON, headers=admin).status_code == 201

    assert "lemon-zest" in slugs(client, query)
    again = client.get(
        f"/api/v1/frostings{query}", headers={"If-None-Match": before.headers["ETag"]}
    )
    assert again.status_code == 200


def test_a_change_of_pairings_shows_at_once_in_the_others_list(
    client: FlaskClient, writer: FlaskClient, admin: dict[str, str]
) -> None:
    before = slugs(client, "?body=chocolate")

    changed = writer.patch("/api/v1/frostings/vanilla", json={"bodies": []}, headers=admin)

    assert changed.status_code == 200
    assert "vanilla" in before and "vanilla" not in slugs(client, "?body=chocolate")


def test_a_delete_through_one_app_shows_at_once_in_the_others_list(
    client: FlaskClient, writer: FlaskClient, admin: dict[str, str]
) -> None:
    slugs(client)

    assert writer.delete("/api/v1/frostings/neon-blue", headers=admin).status_code == 204

    assert "neon-blue" not in slugs(client)


def test_a_refused_write_keeps_the_version(
    client: FlaskClient, writer: FlaskClient, admin: dict[str, str], frosting_reads: list[str]
) -> None:
    client.get("/api/v1/frostings")
    taken = {**LEMON, "slug": "vanilla"}
    assert writer.post("/api/v1/frostings", json=taken, headers=admin).status_code == 409
    frosting_reads.clear()

    client.get("/api/v1/frostings")

    assert frosting_reads == []


def test_without_a_change_token_the_list_is_read_every_time(
    app: APIFlask, client: FlaskClient, frosting_reads: list[str]
) -> None:
    app.extensions[SIGNAL_KEY] = NoToken()
    client.get("/api/v1/frostings")
    frosting_reads.clear()

    assert "vanilla" in slugs(client)
    assert frosting_reads


def test_an_unchanged_frosting_is_served_without_reading_it(
    client: FlaskClient, frosting_reads: list[str]
) -> None:
    first = client.get("/api/v1/frostings/vanilla")
    frosting_reads.clear()

    again = client.get("/api/v1/frostings/vanilla")

    assert again.data == first.data and again.headers["ETag"] == first.headers["ETag"]
    assert frosting_reads == []


def test_a_frosting_changed_through_one_app_shows_at_once_in_the_other(
    client: FlaskClient, writer: FlaskClient, admin: dict[str, str]
) -> None:
    client.get("/api/v1/frostings/vanilla")

    writer.patch("/api/v1/frostings/vanilla", json={"name": "Bourbon"}, headers=admin)

    assert client.get("/api/v1/frostings/vanilla").get_json()["name"] == "Bourbon"


def test_a_change_of_toppings_shows_at_once_in_the_others_frosting_toppings(
    client: FlaskClient, writer: FlaskClient, admin: dict[str, str]
) -> None:
    def toppings_of_vanilla() -> list[str]:
        answer = client.get("/api/v1/frostings/vanilla/toppings").get_json()
        return [item["slug"] for item in answer["items"]]

    before = toppings_of_vanilla()

    changed = writer.patch("/api/v1/frostings/vanilla", json={"toppings": ["flag"]}, headers=admin)

    assert changed.status_code == 200
    assert before != ["flag"] and toppings_of_vanilla() == ["flag"]
