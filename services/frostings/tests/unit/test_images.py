"""SVG pictures: valid XML on the shared 200×200 grid, drawn from the frosting's colour."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from frostings.images import frosting_svg
from frostings.images.palette import mix, palette_for

SVG = "{http://www.w3.org/2000/svg}"
SEEDED = {
    "chocolate": "#5b3420",
    "vanilla": "#f3e3b5",
    "strawberry": "#f49ac1",
    "neon-blue": "#1fb6ff",
}
DRAWINGS = [*SEEDED.items(), ("lemon-zest", "#FFE066"), ("new-one", "#000000")]


def _y_values(root: ET.Element) -> list[float]:
    ys: list[float] = []
    for path in root.iter(f"{SVG}path"):
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path.attrib["d"])]
        ys.extend(numbers[1::2])
    return ys


@pytest.mark.parametrize(("slug", "color"), DRAWINGS)
def test_picture_is_a_transparent_200_square_layer(slug: str, color: str) -> None:
    root = ET.fromstring(frosting_svg(slug=slug, color=color))
    assert root.tag == f"{SVG}svg"
    assert root.attrib["viewBox"] == "0 0 200 200"
    full_canvas = [r for r in root.iter(f"{SVG}rect") if r.attrib.get("width") == "200"]
    assert full_canvas == []


@pytest.mark.parametrize(("slug", "color"), DRAWINGS)
def test_picture_stays_in_the_frosting_band(slug: str, color: str) -> None:
    ys = _y_values(ET.fromstring(frosting_svg(slug=slug, color=color)))
    assert ys
    assert min(ys) >= 55
    assert max(ys) <= 135


@pytest.mark.parametrize(("slug", "color"), DRAWINGS)
def test_picture_is_painted_from_the_frostings_colour(slug: str, color: str) -> None:
    svg = frosting_svg(slug=slug, color=color)
    assert palette_for(color).base == color.lower()
    assert color.lower() in svg
    assert palette_for(color).dark in svg


def test_seeded_frostings_have_drawings_of_their_own() -> None:
    generic = {slug: frosting_svg(slug="someone-else", color=c) for slug, c in SEEDED.items()}
    for slug, color in SEEDED.items():
        assert frosting_svg(slug=slug, color=color) != generic[slug]


@pytest.mark.parametrize("color", ['"/><script>alert(1)</script>', "#12345g", "red", ""])
def test_anything_but_a_hex_colour_is_refused(color: str) -> None:
    with pytest.raises(ValueError):
        frosting_svg(slug="x", color=color)


def test_colour_mixing_goes_towards_the_other_colour() -> None:
    assert mix("#000000", "#ffffff", 0.5) == "#808080"
    assert mix("#102030", "#102030", 0.3) == "#102030"
    assert mix("#ABCDEF", "#000000", 0) == "#abcdef"
