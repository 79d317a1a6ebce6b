"""The SVG pictures: valid XML, the shared viewBox, drawn from the colour."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from toppings.pictures import DRAWINGS, topping_svg
from toppings.pictures.colors import checked_color, darken, lighten, mix

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("slug", ["sprinkles", "cherry", "flag", "new-one"])
def test_every_picture_is_an_svg_with_the_shared_viewbox(slug: str) -> None:
    root = ET.fromstring(topping_svg(slug=slug, color="#123456"))
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == "0 0 200 200"


@pytest.mark.parametrize("slug", ["sprinkles", "cherry", "flag", "new-one"])
def test_every_picture_uses_the_topping_colour(slug: str) -> None:
    assert "#123456" in topping_svg(slug=slug, color="#123456")


@pytest.mark.parametrize("slug", ["sprinkles", "cherry", "flag", "new-one"])
def test_pictures_have_a_transparent_background(slug: str) -> None:
    root = ET.fromstring(topping_svg(slug=slug, color="#123456"))
    full_size = [
        rect
        for rect in root.iter(f"{SVG}rect")
        if rect.get("width") == "200" and rect.get("height") == "200"
    ]
    assert full_size == []


def test_seeded_toppings_have_drawings_of_their_own() -> None:
    pictures = {slug: topping_svg(slug=slug, color="#123456") for slug in DRAWINGS}
    generic = topping_svg(slug="new-one", color="#123456")
    assert len({*pictures.values(), generic}) == len(DRAWINGS) + 1


def test_the_generic_picture_changes_with_the_colour_only() -> None:
    assert topping_svg(slug="a", color="#112233") == topping_svg(slug="b", color="#112233")
    assert topping_svg(slug="a", color="#112233") != topping_svg(slug="a", color="#332211")


def test_pictures_are_deterministic() -> None:
    assert topping_svg(slug="sprinkles", color="#f472b6") == topping_svg(
        slug="sprinkles", color="#f472b6"
    )


@pytest.mark.parametrize("color", ['"/><script>alert(1)</script>', "red", "#12345", "#1234567"])
def test_anything_but_a_hex_colour_is_refused_before_it_reaches_the_svg(color: str) -> None:
    with pytest.raises(ValueError):
        topping_svg(slug="new-one", color=color)


def test_colour_arithmetic() -> None:
    assert checked_color("#ABCDEF") == "#abcdef"
    assert mix("#000000", "#ffffff", 0.5) == "#808080"
    assert lighten("#000000", 1) == "#ffffff"
    assert darken("#ffffff", 1) == "#000000"
    assert lighten("#336699", 0) == "#336699"
