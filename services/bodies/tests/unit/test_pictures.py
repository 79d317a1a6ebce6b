"""SVG pictures of bodies: valid, stackable, drawn from the body's colour."""

import re
import xml.etree.ElementTree as ET

import pytest

from bodies.catalogue.pictures import body_picture_svg
from bodies.catalogue.pictures.drawing import CASE, DOME

pytestmark = pytest.mark.unit

SVG = "{http://www.w3.org/2000/svg}"
SEEDED = ["vanilla", "chocolate", "carrot-cake"]


def parsed(svg: str) -> ET.Element:
    """Parse an SVG document, failing the test if it is not well-formed XML."""
    return ET.fromstring(svg)


@pytest.mark.parametrize("slug", [*SEEDED, "red-velvet"])
def test_every_picture_is_an_svg_with_the_shared_viewbox(slug: str) -> None:
    root = parsed(body_picture_svg(slug=slug, color="#a4243b"))

    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == "0 0 200 200"


@pytest.mark.parametrize("slug", [*SEEDED, "red-velvet"])
def test_pictures_have_a_transparent_background(slug: str) -> None:
    root = parsed(body_picture_svg(slug=slug, color="#a4243b"))

    full_rects = [
        rect
        for rect in root.iter(f"{SVG}rect")
        if rect.get("width") == "200" and rect.get("height") == "200"
    ]
    assert full_rects == []
    assert "background" not in (root.get("style") or "")


def test_a_new_body_is_drawn_from_its_colour() -> None:
    svg = body_picture_svg(slug="red-velvet", color="#a4243b")

    assert 'stop-color="#a4243b"' in svg


def test_bodies_of_other_colours_get_other_pictures() -> None:
    assert body_picture_svg(slug="x", color="#a4243b") != body_picture_svg(
        slug="x", color="#2b6cb0"
    )


def test_colours_are_written_in_lower_case() -> None:
    assert "#a4243b" in body_picture_svg(slug="x", color="#A4243B")
    assert "#A4243B" not in body_picture_svg(slug="x", color="#A4243B")


def test_seeded_bodies_have_drawings_of_their_own() -> None:
    drawings = {body_picture_svg(slug=slug, color="#a4243b") for slug in SEEDED}
    generic = body_picture_svg(slug="red-velvet", color="#a4243b")

    assert len(drawings) == len(SEEDED)
    assert generic not in drawings


def test_a_seeded_body_still_takes_its_colour_for_the_sponge() -> None:
    assert 'stop-color="#123456"' in body_picture_svg(slug="vanilla", color="#123456")


def test_pictures_are_the_same_every_time() -> None:
    assert body_picture_svg(slug="vanilla", color="#f3d9a4") == body_picture_svg(
        slug="vanilla", color="#f3d9a4"
    )


@pytest.mark.parametrize(
    "color", ['#a4243b"/><script>alert(1)</script>', "red", "#a4243", "url(#x)"]
)
def test_anything_but_a_hex_colour_is_refused_before_it_reaches_the_svg(color: str) -> None:
    with pytest.raises(ValueError):
        body_picture_svg(slug="x", color=color)


@pytest.mark.parametrize("outline", [DOME, CASE])
def test_the_body_stays_in_its_layer_of_the_cupcake(outline: str) -> None:
    numbers = [float(n) for n in re.findall(r"\d+(?:\.\d+)?", outline)]
    ys = numbers[1::2]

    assert f'd="{outline}"' in body_picture_svg(slug="red-velvet", color="#a4243b")
    assert 110 <= min(ys) and max(ys) <= 190


def test_the_case_top_edge_is_where_the_frosting_sits() -> None:
    left_corner_y = float(re.findall(r"\d+", CASE)[1])

    assert 120 <= left_corner_y <= 130
