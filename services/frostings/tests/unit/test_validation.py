"""Input schemas: what a write may contain, and how it is normalised."""

from __future__ import annotations

from typing import Any

import pytest
from marshmallow import ValidationError

from frostings.schemas import FrostingCreateIn, FrostingPatchIn, FrostingReplaceIn, FrostingsQuery

VALID = {"slug": "lemon-zest", "name": "Lemon Zest", "color": "#FFE066"}


def test_a_minimal_frosting_gets_defaults_and_a_lowercase_colour() -> None:
    loaded = FrostingCreateIn().load(VALID)
    assert loaded == {**VALID, "color": "#ffe066", "description": "", "bodies": [], "toppings": []}


def test_pairings_are_deduplicated_and_sorted() -> None:
    loaded = FrostingCreateIn().load({**VALID, "bodies": ["vanilla", "chocolate", "vanilla"]})
    assert loaded["bodies"] == ["chocolate", "vanilla"]


def test_description_may_hold_newlines_and_tabs() -> None:
    loaded = FrostingCreateIn().load({**VALID, "description": "zesty\n\tand bright"})
    assert loaded["description"] == "zesty\n\tand bright"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"slug": "Lemon"}, "slug"),
        ({"slug": "lemon--zest"}, "slug"),
        ({"slug": "-lemon"}, "slug"),
        ({"slug": "a" * 41}, "slug"),
        ({"slug": ""}, "slug"),
        ({"name": ""}, "name"),
        ({"name": "x" * 61}, "name"),
        ({"name": "bad\nname"}, "name"),
        ({"name": None}, "name"),
        ({"description": "x" * 501}, "description"),
        ({"description": "bell\x07"}, "description"),
        ({"color": "red"}, "color"),
        ({"color": "#12345"}, "color"),
        ({"color": "#1234567"}, "color"),
        ({"bodies": "vanilla"}, "bodies"),
        ({"bodies": ["Vanilla"]}, "bodies"),
        ({"toppings": [f"t{i}" for i in range(51)]}, "toppings"),
        ({"toppings": [1]}, "toppings"),
        ({"image_url": "http://x/y.svg"}, "image_url"),
    ],
)
def test_invalid_fields_are_refused_by_name(change: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        FrostingCreateIn().load({**VALID, **change})
    assert field in caught.value.messages


@pytest.mark.parametrize("missing", ["slug", "name", "color"])
def test_required_fields_of_a_new_frosting(missing: str) -> None:
    data = {key: value for key, value in VALID.items() if key != missing}
    with pytest.raises(ValidationError) as caught:
        FrostingCreateIn().load(data)
    assert missing in caught.value.messages


def test_replacing_needs_no_slug_but_every_required_field() -> None:
    assert FrostingReplaceIn().load({"name": "N", "color": "#000000"})["bodies"] == []
    with pytest.raises(ValidationError):
        FrostingReplaceIn().load({"name": "N"})


def test_a_patch_keeps_only_the_fields_given() -> None:
    assert FrostingPatchIn().load({"name": "Renamed"}) == {"name": "Renamed"}
    assert FrostingPatchIn().load({}) == {}


def test_a_patch_validates_what_it_gives() -> None:
    with pytest.raises(ValidationError) as caught:
        FrostingPatchIn().load({"color": "blue", "colour": "#000000"})
    assert set(caught.value.messages) == {"color", "colour"}


def test_the_body_filter_must_be_a_slug() -> None:
    assert FrostingsQuery().load({"body": "carrot-cake"}) == {"body": "carrot-cake"}
    with pytest.raises(ValidationError):
        FrostingsQuery().load({"body": "Carrot Cake"})
