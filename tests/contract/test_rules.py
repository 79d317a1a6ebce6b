"""The pairing rules: every body x frosting x topping, as the real services answer them."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.catalogue import BODIES, FROSTINGS, PAIRINGS, TOPPINGS, invariants_hold


def allowed_combinations(frostings: FlaskClient) -> set[tuple[str, str, str]]:
    """Every (body, frosting, topping) frostings allows, asked the way a client would."""
    allowed = set()
    for body in BODIES:
        for frosting in frostings.get(f"/api/v1/frostings?body={body}").get_json()["items"]:
            for topping in frosting["toppings"]:
                allowed.add((body, frosting["slug"], topping))
    return allowed


@pytest.mark.parametrize(
    ("body", "frosting", "topping"), list(itertools.product(BODIES, FROSTINGS, TOPPINGS))
)
def test_each_combination_is_allowed_exactly_when_the_pairing_table_says(
    frostings: FlaskClient, body: str, frosting: str, topping: str
) -> None:
    goes_on, takes = PAIRINGS[frosting]
    expected = body in goes_on and topping in takes
    assert ((body, frosting, topping) in allowed_combinations(frostings)) is expected
    if expected:
        assert invariants_hold(body, frosting, topping)


def test_eighteen_of_the_thirty_six_combinations_are_allowed(frostings: FlaskClient) -> None:
    assert len(allowed_combinations(frostings)) == 18


@pytest.mark.parametrize("frosting", ["strawberry", "neon-blue"])
def test_sprinkles_cannot_be_added_to_a_fruit_or_neon_frosting(
    frostings: FlaskClient, admin: dict[str, str], frosting: str
) -> None:
    refused = frostings.patch(
        f"/api/v1/frostings/{frosting}", json={"toppings": ["sprinkles", "flag"]}, headers=admin
    )
    assert refused.status_code == 422
    assert refused.get_json()["rule"] == "sprinkles-only-on-vanilla-or-chocolate"


def test_a_new_frosting_cannot_take_sprinkles(
    frostings: FlaskClient, admin: dict[str, str]
) -> None:
    refused = frostings.post(
        "/api/v1/frostings",
        json={"slug": "mint", "name": "Mint", "color": "#86efac", "toppings": ["sprinkles"]},
        headers=admin,
    )
    assert refused.status_code == 422
    assert refused.get_json()["rule"] == "sprinkles-only-on-vanilla-or-chocolate"


def test_neon_blue_can_never_go_on_carrot_cake(
    frostings: FlaskClient, admin: dict[str, str]
) -> None:
    writes: tuple[Callable[[], TestResponse], ...] = (
        lambda: frostings.patch(
            "/api/v1/frostings/neon-blue", json={"bodies": ["carrot-cake"]}, headers=admin
        ),
        lambda: frostings.put(
            "/api/v1/frostings/neon-blue",
            json={"name": "Neon Blue", "color": "#00e5ff", "bodies": ["vanilla", "carrot-cake"]},
            headers=admin,
        ),
    )
    for write in writes:
        refused = write()
        assert refused.status_code == 422
        assert refused.get_json()["rule"] == "no-neon-blue-on-carrot-cake"
    assert ("carrot-cake", "neon-blue", "flag") not in allowed_combinations(frostings)


def test_the_invariants_hold_after_allowed_edits(
    frostings: FlaskClient, admin: dict[str, str]
) -> None:
    edits = [
        ("/api/v1/frostings/strawberry", {"bodies": ["vanilla", "chocolate", "carrot-cake"]}),
        ("/api/v1/frostings/neon-blue", {"toppings": ["flag", "cherry"]}),
        ("/api/v1/frostings/chocolate", {"bodies": ["carrot-cake"]}),
    ]
    for path, change in edits:
        assert frostings.patch(path, json=change, headers=admin).status_code == 200
    combinations = allowed_combinations(frostings)
    assert ("carrot-cake", "chocolate", "sprinkles") in combinations
    assert all(invariants_hold(*combination) for combination in combinations)
