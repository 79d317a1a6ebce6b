"""The lab page through the real app: it renders, has its landmarks, loads its modules."""

import json
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from pytest_django import Settings

from integration.helpers import problem_of

pytestmark = pytest.mark.integration

ENTRY_MODULE = "/static/lab/lab.js"
IMPORT = re.compile(r"""^\s*(?:import|export)\b[^;]*?\bfrom\s+["'](\./[\w-]+\.js)["']""", re.M)
CSS_URL = re.compile(r"""url\(["']?(?!data:)([\w./-]+)["']?\)""")


class Element:
    """One start tag of the page: its name and attributes."""

    def __init__(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tag = tag
        self.attrs = {name: value or "" for name, value in attrs}

    def get(self, name: str) -> str | None:
        """The attribute ``name``, or None."""
        return self.attrs.get(name)


class PageParser(HTMLParser):
    """Every element of a page with its attributes, and the text of each <script> and <legend>."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[Element] = []
        self.script_texts: list[str] = []
        self.legends: list[str] = []
        self._open: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Record the element; start collecting text inside scripts and legends."""
        self.elements.append(Element(tag, attrs))
        if tag in {"script", "legend"}:
            self._open, self._text = tag, []

    def handle_data(self, data: str) -> None:
        """Collect text of the open script or legend."""
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        """Keep the collected text of a closed script or legend."""
        if tag == self._open:
            text = " ".join("".join(self._text).split())
            (self.script_texts if tag == "script" else self.legends).append(text)
            self._open = None

    def find(self, tag: str | None = None, **attrs: str) -> list[Element]:
        """Elements with this tag (any when None) and these exact attribute values."""
        return [
            element
            for element in self.elements
            if (tag is None or element.tag == tag)
            and all(element.get(name.replace("_", "-")) == value for name, value in attrs.items())
        ]

    def by_id(self, element_id: str) -> Element:
        """The one element with this id."""
        (element,) = self.find(id=element_id)
        return element


def page_parsed(client: Client) -> tuple[Any, PageParser]:
    """GET the lab page and parse it."""
    response = client.get("/")
    parser = PageParser()
    parser.feed(response.content.decode())
    return response, parser


def static_read(client: Client, path: str) -> tuple[int, str, str]:
    """GET a static file through WhiteNoise: its status, content type and text."""
    response = client.get(path)
    body = response.getvalue()
    response.close()
    return response.status_code, response.get("Content-Type", ""), body.decode()


def test_the_lab_page_is_html_at_the_root(client: Client) -> None:
    response, parser = page_parsed(client)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response.content.startswith(b"<!doctype html>")
    assert parser.find("html", lang="en")
    assert parser.find("meta", name="viewport")
    assert client.head("/").status_code == 200


def test_the_lab_page_answers_only_get_and_head(client: Client) -> None:
    problem = problem_of(client.post("/"), 405)

    assert problem["title"] == "Method Not Allowed"


def test_the_page_has_its_landmarks_and_a_panel_per_service(client: Client) -> None:
    _, parser = page_parsed(client)

    for tag in ("header", "main", "footer", "h1"):
        assert len(parser.find(tag)) == 1, tag
    panels = parser.find("fieldset")
    assert [panel.get("data-service") for panel in panels] == ["bodies", "frostings", "toppings"]
    assert [panel.get("data-layer") for panel in panels] == ["body", "frosting", "topping"]
    assert [legend.split(",")[0].split()[-1] for legend in parser.legends] == [
        "Body",
        "Frosting",
        "Topping",
    ]
    assert parser.find("figure", id="stage")
    assert parser.find(id="cupcake")
    assert parser.find("section", id="wire")
    assert parser.find("section", id="gallery")


def test_the_panels_name_their_framework(client: Client) -> None:
    response, _ = page_parsed(client)
    page = response.content.decode()

    for service, framework in [
        ("bodies", "Django"),
        ("frostings", "Flask"),
        ("toppings", "Pyramid"),
    ]:
        panel = page.split(f'id="panel-{service}"')[1].split("</fieldset>")[0]
        assert f'<span class="framework">{framework}</span>' in panel
        assert 'data-role="status"' in panel and 'data-role="cards"' in panel


def test_the_bake_form_has_a_labelled_name_of_at_most_60_characters(client: Client) -> None:
    _, parser = page_parsed(client)

    name = parser.by_id("bake-name")
    assert name.get("maxlength") == "60"
    assert [label for label in parser.find("label") if label.get("for") == "bake-name"]
    assert parser.by_id("bake-result").get("aria-live") == "polite"
    assert parser.by_id("bake-button").get("type") == "submit"


def test_the_chaos_button_is_hidden_until_the_page_finds_chaos_on(client: Client) -> None:
    _, parser = page_parsed(client)

    toggle = parser.by_id("chaos-toggle")
    assert toggle.tag == "button"
    assert toggle.get("hidden") is not None
    assert toggle.get("aria-controls") == "chaos-drawer"
    assert toggle.get("aria-haspopup") == "dialog"
    assert toggle.get("aria-expanded") == "false"


def test_the_chaos_drawer_is_a_closed_labelled_dialog_with_a_section_per_service(
    client: Client,
) -> None:
    _, parser = page_parsed(client)

    drawer = parser.by_id("chaos-drawer")
    assert drawer.tag == "dialog"
    assert drawer.get("open") is None
    assert parser.by_id(drawer.get("aria-labelledby") or "").tag == "h2"
    assert parser.by_id(drawer.get("aria-describedby") or "").tag == "p"
    sections = parser.find("section", **{"class": "chaos-service"})
    assert [section.get("data-service") for section in sections] == [
        "bodies",
        "frostings",
        "toppings",
    ]
    assert parser.by_id("chaos-reset-all").tag == "button"
    assert parser.by_id("chaos-close").tag == "button"


def test_each_chaos_section_has_a_labelled_switch_and_two_sliders(client: Client) -> None:
    _, parser = page_parsed(client)
    labelled = {label.get("for") for label in parser.find("label")}

    for service in ("bodies", "frostings", "toppings"):
        down = parser.by_id(f"chaos-{service}-down")
        assert (down.tag, down.get("type"), down.get("role")) == ("input", "checkbox", "switch")
        latency = parser.by_id(f"chaos-{service}-latency")
        errors = parser.by_id(f"chaos-{service}-errors")
        assert latency.get("type") == errors.get("type") == "range"
        assert (latency.get("min"), latency.get("max"), latency.get("step")) == ("0", "3000", "100")
        assert (errors.get("min"), errors.get("max"), errors.get("step")) == ("0", "100", "5")
        assert {down.get("id"), latency.get("id"), errors.get("id")} <= labelled
        for control in (down, latency, errors):
            assert parser.by_id(control.get("aria-describedby") or "")


def test_the_latency_scale_marks_the_front_doors_deadline(
    client: Client, settings: Settings
) -> None:
    settings.REQUEST_DEADLINE = 1.5
    response, parser = page_parsed(client)

    assert b"1.5 s deadline" in response.content
    scripts = parser.find("script")
    config = json.loads(parser.script_texts[scripts.index(parser.by_id("lab-config"))])
    assert config["deadlineMs"] == 1500
    assert config["latencyMaxMs"] == 3000


@pytest.mark.parametrize(("chaos", "url"), [(True, "/api/v1/lab/chaos"), (False, None)])
def test_the_page_asks_for_the_chaos_controls_only_in_a_lab_with_chaos(
    client: Client, settings: Settings, chaos: bool, url: str | None
) -> None:
    settings.CUPCAKE_CHAOS = chaos
    _, parser = page_parsed(client)

    scripts = parser.find("script")
    config = json.loads(parser.script_texts[scripts.index(parser.by_id("lab-config"))])
    assert config["chaosUrl"] == url


@pytest.mark.parametrize("chaos", [True, False])
def test_the_page_offers_guided_tours_only_in_a_lab_with_chaos(
    client: Client, settings: Settings, chaos: bool
) -> None:
    settings.CUPCAKE_CHAOS = chaos
    _, parser = page_parsed(client)

    scripts = parser.find("script")
    config = json.loads(parser.script_texts[scripts.index(parser.by_id("lab-config"))])
    starts = parser.find("button", **{"class": "tours-start"})
    if not chaos:
        assert config["tours"] is None
        assert starts == [] and parser.find(id="tour") == []
        return
    tours = config["tours"]["list"]
    assert [start.get("data-tour") for start in starts] == [tour["id"] for tour in tours]
    assert config["tours"]["chaosExpiryS"] == 10
    panel = parser.by_id("tour")
    assert panel.tag == "section" and panel.get("hidden") is not None
    assert parser.find(role="status", **{"class": "tour-now"})


def test_the_page_loads_one_module_and_runs_no_inline_script(client: Client) -> None:
    _, parser = page_parsed(client)

    scripts = parser.find("script")
    modules = [script for script in scripts if script.get("type") == "module"]
    assert [module.get("src") for module in modules] == [ENTRY_MODULE]
    assert parser.script_texts[scripts.index(modules[0])] == ""
    data_blocks = [script for script in scripts if script is not modules[0]]
    assert all(script.get("type") == "application/json" for script in data_blocks)
    for element in parser.elements:
        handlers = [name for name in element.attrs if name.startswith("on")]
        assert handlers == [], f"<{element.tag}> has inline handlers {handlers}"
        assert "style" not in element.attrs, f"<{element.tag}> has an inline style"
    assert not parser.find("style")


def test_the_page_configuration_is_a_json_data_block(client: Client) -> None:
    _, parser = page_parsed(client)

    scripts = parser.find("script")
    config: dict[str, Any] = json.loads(
        parser.script_texts[scripts.index(parser.by_id("lab-config"))]
    )
    assert config["composeUrl"] == "/api/v1/cupcake"
    assert config["cupcakesUrl"] == "/api/v1/cupcakes"
    assert 1000 <= config["pollMs"] <= 5000


def test_the_page_forbids_inline_script_by_content_security_policy(client: Client) -> None:
    response = client.get("/")

    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe" not in response["Content-Security-Policy"]


def test_every_module_stylesheet_and_picture_the_page_names_is_served(client: Client) -> None:
    _, parser = page_parsed(client)
    preloaded = {link.get("href") for link in parser.find("link", rel="modulepreload")}

    imported: set[str] = set()
    pending = [ENTRY_MODULE]
    while pending:
        path = pending.pop()
        status, content_type, text = static_read(client, path)
        assert status == 200, path
        assert "javascript" in content_type, path
        for relative in IMPORT.findall(text):
            target = path.rsplit("/", 1)[0] + "/" + relative.removeprefix("./")
            if target not in imported:
                imported.add(target)
                pending.append(target)

    # The preload hints are exactly the modules the entry module pulls in.
    assert preloaded == imported
    (stylesheet,) = parser.find("link", rel="stylesheet")
    status, content_type, css = static_read(client, stylesheet.get("href") or "")
    assert status == 200 and content_type.startswith("text/css")
    base = (stylesheet.get("href") or "").rsplit("/", 1)[0]
    for picture in CSS_URL.findall(css):
        assert static_read(client, f"{base}/{picture}")[0] == 200, picture
    (icon,) = parser.find("link", rel="icon")
    assert static_read(client, icon.get("href") or "")[0] == 200
