"""What the Locust users read of the lab page, and how they answer a refusal, as the page does."""

import unicodedata

import pytest

from bench.lab_page import (
    CachedCopy,
    Choices,
    allowed_cards,
    cached_copy,
    choices_after_refusal,
    cupcake_name,
    image_name,
    overloaded,
    page_read,
    retry_after_seconds,
    rules_checked,
    stylesheet_images,
)

PAGE = """<!doctype html><html><head>
<link rel="icon" href="/static/lab/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/lab/lab.css">
<link rel="modulepreload" href="/static/lab/dom.js">
<link rel="canonical" href="https://example.org/">
<script type="module" src="/static/lab/lab.js"></script>
<script id="lab-config" type="application/json">
{"composeUrl": "/api/v1/cupcake", "pollMs": 2000}</script>
</head><body><img src="/not-an-asset-of-the-head.svg"></body></html>"""


def test_the_page_gives_its_assets_in_order_and_its_config() -> None:
    page = page_read(PAGE)
    assert page.assets == [
        "/static/lab/favicon.svg",
        "/static/lab/lab.css",
        "/static/lab/dom.js",
        "/static/lab/lab.js",
    ]
    assert page.config == {"composeUrl": "/api/v1/cupcake", "pollMs": 2000}


def test_a_page_without_its_config_block_has_none() -> None:
    assert page_read("<html><body>502 Bad Gateway</body></html>").config is None


def test_stylesheet_images_are_found_however_quoted() -> None:
    css = """.a { background: url("check.svg"); } .b { background: url( 'x/y.png' ) }
    .c { background: url(plain.svg) no-repeat; }"""
    assert stylesheet_images(css) == ["check.svg", "x/y.png", "plain.svg"]


def test_pictures_are_named_by_service_and_route_not_by_slug() -> None:
    url = "http://127.0.0.1:6500/api/v1/toppings/cherry/image.svg"
    assert image_name(url) == "toppings: /api/v1/toppings/{slug}/image.svg"
    assert image_name("http://h/elsewhere/x.svg") == "/elsewhere/x.svg"


def test_a_cached_copy_keeps_its_etag_when_a_304_omits_it() -> None:
    first = cached_copy(
        headers={"ETag": '"v1"', "Cache-Control": "public, max-age=60"}, now=100.0, before=None
    )
    assert first == CachedCopy(etag='"v1"', fresh_until=160.0)
    again = cached_copy(headers={"Cache-Control": "max-age=1"}, now=200.0, before=first)
    assert again == CachedCopy(etag='"v1"', fresh_until=201.0)
    assert cached_copy(headers={}, now=5.0, before=None) == CachedCopy(etag=None, fresh_until=5.0)


@pytest.mark.parametrize(
    ("header", "seconds"), [("2", 2), ("0", None), ("-1", None), ("soon", None), (None, None)]
)
def test_retry_after_is_a_positive_number_of_seconds(
    header: str | None, seconds: int | None
) -> None:
    assert retry_after_seconds(header) == seconds


def test_a_body_refusing_its_frosting_drops_the_frosting_and_the_topping() -> None:
    chosen: Choices = {"body": "carrot-cake", "frosting": "neon-blue", "topping": "flag"}
    after = choices_after_refusal(chosen, rule="frosting-not-on-body")
    assert after == {"body": "carrot-cake", "frosting": None, "topping": None}
    assert chosen["frosting"] == "neon-blue"  # the choices given are left as they were


def test_a_frosting_refusing_its_topping_drops_the_topping_only() -> None:
    chosen: Choices = {"body": "vanilla", "frosting": "strawberry", "topping": "sprinkles"}
    after = choices_after_refusal(chosen, rule="topping-not-on-frosting")
    assert after == {"body": "vanilla", "frosting": "strawberry", "topping": None}


def test_an_unknown_rule_drops_the_top_layer() -> None:
    chosen: Choices = {"body": "vanilla", "frosting": "vanilla", "topping": None}
    after = choices_after_refusal(chosen, rule="some-new-rule")
    assert after == {"body": "vanilla", "frosting": None, "topping": None}


def test_only_allowed_cards_other_than_the_chosen_one_are_picked() -> None:
    composition = {
        "choices": {
            "frostings": [
                {"slug": "vanilla", "allowed": True},
                {"slug": "chocolate", "allowed": True},
                {"slug": "neon-blue", "allowed": False},
            ]
        }
    }
    assert allowed_cards(composition, layer="frosting", chosen="vanilla") == ["chocolate"]
    assert allowed_cards(composition, layer="topping", chosen=None) == []
    assert allowed_cards(None, layer="body", chosen=None) == []


def test_names_people_type_stay_within_the_rules() -> None:
    names = [cupcake_name() for _ in range(300)]
    typed = [name for name in names if name is not None]
    assert None in names and typed  # some take the default name
    for name in typed:
        assert 1 <= len(name) <= 60
        assert not [ch for ch in name if unicodedata.category(ch) == "Cc"]


def test_an_admission_refusal_is_told_from_other_503s() -> None:
    refusal = {"type": "urn:cupcake-lab:problem:overloaded", "status": 503}
    assert overloaded(503, "1", refusal)
    assert not overloaded(503, None, refusal)  # no Retry-After: a failure
    assert not overloaded(503, "1", {"type": "urn:cupcake-lab:problem:upstream-unavailable"})
    assert not overloaded(503, "1", None)  # a bare 503, from no gate
    assert not overloaded(500, "1", refusal)


def test_a_composition_without_frostings_checked_no_rule_of_a_chosen_frosting() -> None:
    down = {"services": {"frostings": {"status": "unavailable"}}}
    stale = {"services": {"frostings": {"status": "degraded"}}}
    chosen: Choices = {"body": "vanilla", "frosting": "lemon", "topping": None}
    assert not rules_checked(down, chosen)
    assert rules_checked(stale, chosen)  # its last good answer holds the rules
    assert rules_checked(down, {**chosen, "frosting": None})  # no frosting, no rule
