"""POST /api/v1/cupcakes: baking after checking with the rule owners, or saving nothing."""

import json
import logging
import re
from typing import Any

import pytest
from django.test import Client
from pytest_django import Settings

from bodies.assembler.models import Cupcake
from bodies.catalogue.models import Body
from fakes import FakePeers, Mode
from integration.helpers import CUPCAKE, bake, problem_of, stored_counts

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("fake_peers")]

UUID = r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}"
UUID_URL = re.compile(rf"http://127\.0\.0\.1:8000/api/v1/cupcakes/{UUID}")


def test_a_bake_is_201_with_the_location_and_the_cupcake_as_baked(client: Client) -> None:
    response = bake(client, {**CUPCAKE, "name": "Pink Dream"})

    cupcake = response.json()
    assert response.status_code == 201
    assert response["Content-Type"] == "application/json"
    assert UUID_URL.fullmatch(response["Location"])
    assert cupcake["url"] == response["Location"]
    assert response["Location"].endswith(f"/api/v1/cupcakes/{cupcake['id']}")
    assert cupcake["name"] == "Pink Dream"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", cupcake["created_at"])
    assert cupcake["body"] == {
        "slug": "vanilla",
        "name": "Vanilla",
        "color": Body.objects.get(slug="vanilla").color,
        "image_url": "http://127.0.0.1:8000/api/v1/bodies/vanilla/image.svg",
    }
    assert cupcake["frosting"] == {
        "slug": "strawberry",
        "name": "Strawberry",
        "color": "#f7a1c4",
        "image_url": "http://frostings.test/api/v1/frostings/strawberry/image.svg",
    }
    assert cupcake["topping"]["name"] == "Cherry"
    assert not response.has_header("Idempotent-Replayed")
    assert stored_counts() == (1, 0)


def test_a_baked_cupcake_is_read_back_at_its_location(client: Client) -> None:
    baked = bake(client)

    response = client.get(baked["Location"].removeprefix("http://127.0.0.1:8000"))

    assert response.status_code == 200
    assert response.json() == baked.json()


def test_the_name_defaults_to_the_three_part_names(client: Client) -> None:
    assert bake(client).json()["name"] == "Vanilla · Strawberry · Cherry"


def test_a_default_name_from_long_part_names_is_shortened_to_fit(client: Client) -> None:
    Body.objects.filter(slug="vanilla").update(name="V" * 60)

    name = bake(client).json()["name"]

    assert len(name) == 60
    assert name.endswith("…")


def test_baking_needs_no_admin_token(client: Client, settings: Settings) -> None:
    settings.CUPCAKE_ADMIN_TOKEN = "secret"

    assert bake(client).status_code == 201


@pytest.mark.parametrize(
    ("payload", "rule"),
    [
        (
            {"body": "carrot-cake", "frosting": "neon-blue", "topping": "flag"},
            "frosting-not-on-body",
        ),
        ({"body": "chocolate", "frosting": "strawberry"}, "frosting-not-on-body"),
        ({"topping": "sprinkles"}, "topping-not-on-frosting"),
        ({"frosting": "neon-blue", "topping": "cherry"}, "topping-not-on-frosting"),
    ],
)
def test_a_forbidden_cupcake_is_422_and_nothing_is_saved(
    client: Client, payload: dict[str, str], rule: str
) -> None:
    problem = problem_of(bake(client, {**CUPCAKE, **payload}), 422)

    assert problem["type"] == "urn:cupcake-lab:problem:rule-violation"
    assert problem["rule"] == rule
    assert stored_counts() == (0, 0)


def test_a_refusal_says_why_in_words(client: Client) -> None:
    problem = problem_of(bake(client, {**CUPCAKE, "topping": "sprinkles"}), 422)

    assert problem["detail"] == "Sprinkles does not go on Strawberry frosting"


@pytest.mark.parametrize(
    ("change", "detail"),
    [
        ({"body": "sponge"}, "no body 'sponge'"),
        ({"frosting": "lemon"}, "no frosting 'lemon'"),
        ({"topping": "gum"}, "no topping 'gum'"),
    ],
)
def test_an_unknown_part_is_422_and_nothing_is_saved(
    client: Client, change: dict[str, str], detail: str
) -> None:
    problem = problem_of(bake(client, {**CUPCAKE, **change}), 422)

    assert problem["type"] == "urn:cupcake-lab:problem:unknown-reference"
    assert problem["detail"] == detail
    assert stored_counts() == (0, 0)


@pytest.mark.parametrize("mode", ["down", "timeout", "error", "garbage", "wrong-shape"])
@pytest.mark.parametrize("service", ["frostings", "toppings"])
def test_a_rule_owner_that_cannot_answer_is_503_with_retry_after_and_nothing_saved(
    client: Client, fake_peers: FakePeers, service: str, mode: Mode
) -> None:
    fake_peers.set(service, mode)

    response = bake(client, key="while-down")

    problem = problem_of(response, 503)
    assert problem["type"] == "urn:cupcake-lab:problem:upstream-unavailable"
    assert problem["detail"].startswith(f"{service} ")
    assert problem["detail"].endswith("nothing was baked, try again")
    assert response["Retry-After"] == "5"
    assert stored_counts() == (0, 0)


def test_a_refusal_for_a_peer_down_is_a_warning_of_the_call_not_a_django_error(
    client: Client, fake_peers: FakePeers, caplog: pytest.LogCaptureFixture
) -> None:
    fake_peers.set("toppings", "down")

    with caplog.at_level(logging.INFO):
        problem_of(bake(client, key="while-down"), 503)

    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    failed_calls = [
        record.getMessage()
        for record in caplog.records
        if record.name == "cupcake.upstream" and record.levelno == logging.WARNING
    ]
    assert failed_calls and all(call.startswith("toppings ") for call in failed_calls)


def test_with_toppings_down_a_rule_frostings_can_check_still_refuses(
    client: Client, fake_peers: FakePeers
) -> None:
    fake_peers.set("toppings", "down")

    problem = problem_of(bake(client, {**CUPCAKE, "topping": "sprinkles"}), 422)

    assert problem["rule"] == "topping-not-on-frosting"


def test_a_cupcake_keeps_its_parts_as_baked_when_the_catalogues_change(
    client: Client, fake_peers: FakePeers, auth: dict[str, str]
) -> None:
    baked = bake(client).json()
    client.patch(
        "/api/v1/bodies/vanilla",
        json.dumps({"name": "Vanilla Bean", "color": "#ffffff"}),
        content_type="application/json",
        headers=auth,
    )
    fake_peers.frosting_change("strawberry", name="Pink", color="#ff00ff")
    fake_peers.toppings.clear()

    later = client.get(f"/api/v1/cupcakes/{baked['id']}").json()

    assert later == baked
    assert later["body"]["name"] == "Vanilla"
    assert later["frosting"]["name"] == "Strawberry"


# Bad input: each is refused with the right problem, and nothing is written.

INVALID = [
    ({"frosting": "strawberry", "topping": "cherry"}, ["body"]),
    ({}, ["body", "frosting", "topping"]),
    ({**CUPCAKE, "colour": "pink"}, ["colour"]),
    ({**CUPCAKE, "body": 7}, ["body"]),
    ({**CUPCAKE, "body": None}, ["body"]),
    ({**CUPCAKE, "topping": ["cherry"]}, ["topping"]),
    ({**CUPCAKE, "frosting": "Strawberry"}, ["frosting"]),
    ({**CUPCAKE, "name": "x" * 61}, ["name"]),
    ({**CUPCAKE, "name": ""}, ["name"]),
    ({**CUPCAKE, "name": "Pink\x00Dream"}, ["name"]),
    ({**CUPCAKE, "name": "Pink\nDream"}, ["name"]),
    ({**CUPCAKE, "name": "\x1b[31mred"}, ["name"]),
    ({**CUPCAKE, "name": None}, ["name"]),
    ({**CUPCAKE, "name": 12}, ["name"]),
]


@pytest.mark.parametrize(("payload", "fields"), INVALID)
def test_an_invalid_cupcake_is_422_naming_each_field(
    client: Client, payload: dict[str, Any], fields: list[str]
) -> None:
    problem = problem_of(bake(client, payload, key="invalid"), 422)

    assert problem["type"] == "urn:cupcake-lab:problem:invalid-input"
    assert [error["field"] for error in problem["errors"]] == fields
    assert stored_counts() == (0, 0)


def test_a_name_of_60_characters_is_fine(client: Client) -> None:
    assert bake(client, {**CUPCAKE, "name": "é" * 60}).status_code == 201


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"],
)
def test_a_body_that_is_not_json_is_415(client: Client, content_type: str) -> None:
    response = client.post("/api/v1/cupcakes", json.dumps(CUPCAKE), content_type=content_type)

    problem_of(response, 415)
    assert stored_counts() == (0, 0)


def test_a_body_over_64_kib_is_413(client: Client) -> None:
    problem_of(bake(client, {**CUPCAKE, "name": "x" * 65536}), 413)
    assert stored_counts() == (0, 0)


@pytest.mark.parametrize("body", ["{", "[]", '"vanilla"', "", "nul", "{" * 5000])
def test_a_body_that_is_not_a_json_object_is_400(client: Client, body: str) -> None:
    response = client.generic("POST", "/api/v1/cupcakes", body, CONTENT_TYPE="application/json")

    problem_of(response, 400)
    assert stored_counts() == (0, 0)


def test_a_chunked_body_without_length_is_411(client: Client) -> None:
    response = client.post(
        "/api/v1/cupcakes",
        json.dumps(CUPCAKE),
        content_type="application/json",
        headers={"Transfer-Encoding": "chunked"},
        CONTENT_LENGTH="",
    )

    problem_of(response, 411)
    assert stored_counts() == (0, 0)


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_the_gallery_cannot_be_changed(client: Client, method: str) -> None:
    response = client.generic(method, "/api/v1/cupcakes")

    problem_of(response, 405)
    assert sorted(response["Allow"].split(", ")) == ["GET", "POST"]
    assert Cupcake.objects.count() == 0
