"""The field rules of a topping, checked exactly."""

from __future__ import annotations

import pytest

from cupcake_chassis.problems import FieldError
from toppings.problems import InvalidInput
from toppings.validation import slugs_clean, topping_fields_clean

VALID = {
    "slug": "gum-drop-2",
    "name": "Gum Drop",
    "description": "Chewy.\n\tYum.",
    "color": "#A1B2C3",
}
ALL = ("slug", "name", "color")


def refused_fields(
    data: dict[str, object], *, required: tuple[str, ...], path_slug: str | None = None
) -> set[str]:
    """Return the fields ``topping_fields_clean`` refuses in ``data``."""
    with pytest.raises(InvalidInput) as caught:
        topping_fields_clean(data=data, required=required, path_slug=path_slug)
    return {error.field for error in caught.value.errors}


def test_valid_fields_come_back_with_the_colour_lowercased() -> None:
    clean = topping_fields_clean(data=VALID, required=ALL)
    assert clean == {**VALID, "color": "#a1b2c3"}


@pytest.mark.parametrize(
    "slug",
    ["", "A", "a_b", "-a", "a-", "a--b", "a b", "sprinkles\n", "é", "a" * 41, 7, None],
)
def test_malformed_slugs_are_refused(slug: object) -> None:
    assert refused_fields({**VALID, "slug": slug}, required=ALL) == {"slug"}


def test_the_longest_slug_is_accepted() -> None:
    assert topping_fields_clean(data={**VALID, "slug": "a" * 40}, required=ALL)["slug"] == "a" * 40


@pytest.mark.parametrize("name", ["", "x" * 61, "Gum\n", "Gum\x00", "Gum\x7f", "Gum\x85", 3])
def test_names_that_are_empty_too_long_or_hold_control_characters_are_refused(
    name: object,
) -> None:
    assert refused_fields({**VALID, "name": name}, required=ALL) == {"name"}


@pytest.mark.parametrize("description", ["x" * 501, "bell\x07", "cr\r", None])
def test_descriptions_too_long_or_with_control_characters_other_than_newline_and_tab_are_refused(
    description: object,
) -> None:
    assert refused_fields({**VALID, "description": description}, required=ALL) == {"description"}


@pytest.mark.parametrize("color", ["red", "#abc", "#abcdefa", "abcdef", "#ggg000", "#abcdef\n"])
def test_colours_that_are_not_hash_and_six_hex_digits_are_refused(color: str) -> None:
    assert refused_fields({**VALID, "color": color}, required=ALL) == {"color"}


def test_missing_required_fields_and_unknown_fields_are_each_reported() -> None:
    with pytest.raises(InvalidInput) as caught:
        topping_fields_clean(data={"image_url": "x"}, required=ALL)
    assert set(caught.value.errors) == {
        FieldError("image_url", "is not a field of a topping"),
        FieldError("slug", "is required"),
        FieldError("name", "is required"),
        FieldError("color", "is required"),
    }


def test_a_body_may_repeat_the_path_slug_but_not_change_it() -> None:
    assert topping_fields_clean(data={"slug": "gum"}, required=(), path_slug="gum") == {
        "slug": "gum"
    }
    assert refused_fields({"slug": "other"}, required=(), path_slug="gum") == {"slug"}


def test_partial_input_needs_no_field() -> None:
    assert topping_fields_clean(data={}, required=()) == {}


def test_a_slug_list_of_valid_slugs_is_returned_as_a_list() -> None:
    assert slugs_clean(field="slug", values=("cherry", "flag")) == ["cherry", "flag"]


def test_a_slug_list_names_the_position_of_each_bad_item() -> None:
    with pytest.raises(InvalidInput) as caught:
        slugs_clean(field="slug", values=["cherry", "Bad", ""])
    messages = [error.message for error in caught.value.errors]
    assert [m.split(":")[0] for m in messages] == ["item 2", "item 3"]
