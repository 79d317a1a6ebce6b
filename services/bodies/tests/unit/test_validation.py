"""The validation rules of bodies (docs/architecture.md), through the API schemas."""

from typing import Any

import pytest
from pydantic import ValidationError

from bodies.catalogue.schemas import BodyChange, BodyCreate, BodyReplace

pytestmark = pytest.mark.unit

VALID = {"slug": "red-velvet", "name": "Red Velvet", "description": "Red.", "color": "#a4243b"}


def error_fields(exc: ValidationError) -> list[str]:
    """Return the fields a validation error names."""
    return [".".join(str(part) for part in error["loc"]) for error in exc.errors()]


def test_a_complete_body_is_valid() -> None:
    body = BodyCreate.model_validate(VALID)

    assert body.model_dump() == VALID


def test_description_may_be_left_out_and_is_then_empty() -> None:
    body = BodyCreate.model_validate({k: v for k, v in VALID.items() if k != "description"})

    assert body.description == ""


@pytest.mark.parametrize("slug", ["a", "vanilla", "carrot-cake", "a1-b2-c3", "x" * 40])
def test_slugs_of_lowercase_words_joined_by_hyphens_are_valid(slug: str) -> None:
    assert BodyCreate.model_validate({**VALID, "slug": slug}).slug == slug


@pytest.mark.parametrize(
    "slug", ["", "Vanilla", "carrot_cake", "-a", "a-", "a--b", "a b", "é", "x" * 41]
)
def test_other_slugs_are_refused(slug: str) -> None:
    with pytest.raises(ValidationError) as caught:
        BodyCreate.model_validate({**VALID, "slug": slug})

    assert error_fields(caught.value) == ["slug"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("name", "x" * 61),
        ("name", "Red\nVelvet"),
        ("name", "Red\tVelvet"),
        ("name", "Red\x7fVelvet"),
        ("description", "x" * 501),
        ("description", "bell\x07"),
        ("description", "nul\x00"),
        ("color", "red"),
        ("color", "#abc"),
        ("color", "#a4243bff"),
        ("color", "a4243b"),
        ("color", "#g4243b"),
        ("name", 42),
        ("name", None),
    ],
)
def test_values_that_break_a_rule_are_refused(field: str, value: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        BodyCreate.model_validate({**VALID, field: value})

    assert error_fields(caught.value) == [field]


def test_a_description_may_hold_newlines_and_tabs() -> None:
    text = "Line one.\n\tLine two."

    assert BodyCreate.model_validate({**VALID, "description": text}).description == text


def test_names_and_descriptions_at_their_length_limits_are_valid() -> None:
    body = BodyCreate.model_validate({**VALID, "name": "n" * 60, "description": "d" * 500})

    assert (len(body.name), len(body.description)) == (60, 500)


def test_colours_are_stored_in_lower_case() -> None:
    assert BodyCreate.model_validate({**VALID, "color": "#A4243B"}).color == "#a4243b"


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        BodyCreate.model_validate({**VALID, "image_url": "http://example.com/x.svg"})

    assert error_fields(caught.value) == ["image_url"]


def test_a_replacement_needs_name_and_colour_but_no_slug() -> None:
    with pytest.raises(ValidationError) as caught:
        BodyReplace.model_validate({"description": "only this"})

    assert sorted(error_fields(caught.value)) == ["color", "name"]


def test_a_change_keeps_only_the_fields_given() -> None:
    change = BodyChange.model_validate({"color": "#FFFFFF"})

    assert change.model_dump(exclude_unset=True) == {"color": "#ffffff"}


def test_a_change_cannot_set_a_field_to_null() -> None:
    with pytest.raises(ValidationError) as caught:
        BodyChange.model_validate({"name": None})

    assert error_fields(caught.value) == ["name"]
