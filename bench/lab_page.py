"""What the Locust users need to know of the lab page, without Locust: reading the page,
naming requests, the browser's cache, and the page's answer to a refusal."""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

LAYERS = ("body", "frosting", "topping")
SERVICE_OF = {"body": "bodies", "frosting": "frostings", "topping": "toppings"}
IMAGE_PATH = re.compile(r"^/api/v1/(?P<items>[a-z]+)/[^/]+/image\.svg$")
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+?)["']?\s*\)""")
MAX_AGE = re.compile(r"max-age=(\d+)")
NAME_WORDS = (
    ("Midnight", "Sunny", "Crème", "Tiny", "Grand", "Lucky", "Ünïcode", "Fizzy"),
    ("Delight", "Tower", "Brûlée", "Bite", "Surprise", "Party", "Dream", "🧁"),
)

Choices = dict[str, str | None]


class PageReader(HTMLParser):
    """Collect what a browser fetches for the page, and the page's configuration block."""

    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []
        self.config: dict[str, Any] | None = None
        self._in_config = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Note stylesheets, icons, preloaded modules and scripts; find the config block."""
        attr = dict(attrs)
        href, src = attr.get("href"), attr.get("src")
        if tag == "link" and attr.get("rel") in ("stylesheet", "icon", "modulepreload") and href:
            self.assets.append(href)
        elif tag == "script" and src:
            self.assets.append(src)
        self._in_config = tag == "script" and attr.get("id") == "lab-config"

    def handle_data(self, data: str) -> None:
        """Read the page's JSON configuration."""
        if self._in_config:
            self.config = json.loads(data)
            self._in_config = False


def page_read(html: str) -> PageReader:
    """Read a lab page: its assets in document order and its configuration (None if absent)."""
    reader = PageReader()
    reader.feed(html)
    reader.close()
    return reader


def stylesheet_images(css: str) -> list[str]:
    """The ``url(...)`` references of a stylesheet, as written."""
    return CSS_URL.findall(css)


def image_name(url: str) -> str:
    """Group pictures by service and route: ``toppings: /api/v1/toppings/{slug}/image.svg``."""
    path = urlsplit(url).path
    match = IMAGE_PATH.match(path)
    if not match:
        return path
    items = match["items"]
    return f"{items}: /api/v1/{items}/{{slug}}/image.svg"


@dataclass(frozen=True)
class CachedCopy:
    """What the browser's HTTP cache keeps of one answer."""

    etag: str | None
    fresh_until: float


def cached_copy(*, headers: dict[str, str], now: float, before: CachedCopy | None) -> CachedCopy:
    """The cache entry after a 200 or 304 with these headers (a 304 may omit the ETag)."""
    age = MAX_AGE.search(headers.get("Cache-Control", ""))
    return CachedCopy(
        etag=headers.get("ETag") or (before.etag if before else None),
        fresh_until=now + (int(age[1]) if age else 0),
    )


def retry_after_seconds(value: str | None) -> int | None:
    """A positive ``Retry-After`` given in seconds, or None."""
    return int(value) if value and value.isdigit() and int(value) > 0 else None


def rules_checked(composition: dict[str, Any], sent: Choices) -> bool:
    """Whether a composition checked the rules of the choices sent: it cannot when a
    frosting is chosen and frostings, which owns every rule, was unavailable."""
    frostings = composition.get("services", {}).get("frostings", {})
    return not (sent.get("frosting") and frostings.get("status") == "unavailable")


def overloaded(status: int, retry_after: str | None, doc: dict[str, Any] | None) -> bool:
    """Whether an answer is a service's admission gate refusing a request for its load
    (README, "Reliability under siege"): 503, ``Retry-After`` and a problem of type
    ``overloaded``. Answered at once, saying when to come back: the contract kept under a
    burst, not a failure; nothing was done."""
    kind = str((doc or {}).get("type", ""))
    return (
        status == 503
        and retry_after_seconds(retry_after) is not None
        and kind.endswith(":overloaded")
    )


def cupcake_name() -> str | None:
    """A name a person might type (within 1..60 characters), or None to take the default."""
    if random.random() < 0.25:
        return None
    first, second = (random.choice(words) for words in NAME_WORDS)
    return f"{first} {second} {random.randint(1, 999)}"


def choices_after_refusal(choices: Choices, *, rule: str | None) -> Choices:
    """The choices the page tries after a refusal (422): off come the layers the broken rule
    is about, else the top layer."""
    after = dict(choices)
    if rule == "frosting-not-on-body" and after["frosting"]:
        after["frosting"] = after["topping"] = None
    elif rule == "topping-not-on-frosting" and after["topping"]:
        after["topping"] = None
    else:
        top = next((layer for layer in reversed(LAYERS) if after[layer]), None)
        if top:
            after[top] = None
    return after


def allowed_cards(
    composition: dict[str, Any] | None, *, layer: str, chosen: str | None
) -> list[str]:
    """The slugs a composition allows in ``layer``, other than the one chosen."""
    items = (composition or {}).get("choices", {}).get(SERVICE_OF[layer], [])
    return [
        item["slug"] for item in items if item.get("allowed") is True and item["slug"] != chosen
    ]
