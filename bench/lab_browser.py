"""A Locust user that loads things the way a browser does: the page and its assets, pictures
six at a time, everything through an HTTP cache that honours max-age and revalidates with
the ETag. The people of ``bench/locustfile.py`` build on it."""

from __future__ import annotations

import os
import random
import time
from typing import Any, cast
from urllib.parse import urljoin, urlsplit

import gevent
from gevent.pool import Pool
from locust import HttpUser, events
from locust.clients import ResponseContextManager
from urllib3.connectionpool import ConnectionPool

from bench.lab_page import (
    CachedCopy,
    cached_copy,
    image_name,
    overloaded,
    page_read,
    stylesheet_images,
)
from bench.resend import ResendUnanswered

BROWSER_CONNECTIONS = 6  # what a browser opens to one host at most
STATIC = "/static/{asset}"
RESENT = "{address} [sent again: the connection closed unanswered]"
OVERLOADED = "503 Retry-After, overloaded"


@events.init_command_line_parser.add_listener
def think_scale_option(parser: Any) -> None:
    """``--think-scale``: multiply every pause people take (a field of the web UI too)."""
    parser.add_argument(
        "--think-scale",
        type=float,
        default=1.0,
        env_var="CUPCAKE_THINK_SCALE",
        help="Multiply every pause people take between actions (0.1: ten times as impatient)",
    )


def rename(response: ResponseContextManager, suffix: str) -> None:
    """Report this request in a row of its own (``name [suffix]``) in Locust's table."""
    meta = cast(dict[str, Any], response.request_meta)
    meta["name"] = f"{meta['name']} [{suffix}]"


def json_object(response: ResponseContextManager) -> dict[str, Any] | None:
    """The JSON object an answer holds, or None."""
    try:
        doc = response.json()
    except ValueError:
        return None
    return doc if isinstance(doc, dict) else None


class LabBrowser(HttpUser):
    """A browser tab on the lab page (abstract: Locust runs the people built on it)."""

    abstract = True
    host = os.environ.get("BODIES_URL", "http://127.0.0.1:8000")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.think_scale = float(getattr(self.environment.parsed_options, "think_scale", 1.0))
        self.config: dict[str, Any] | None = None
        self.http_cache: dict[str, CachedCopy] = {}
        self.on_page: set[str] = set()  # what the current document has loaded
        self.stylesheet_images: list[str] = []
        # As a browser, send a request once more when a kept-alive connection closes under it.
        for adapter in self.client.adapters.values():
            adapter.max_retries = ResendUnanswered(on_resend=self.resent)  # type: ignore[attr-defined]

    def resent(self, method: str | None, url: str | None, pool: ConnectionPool | None) -> None:
        """Count a request sent again in a row of its own, per address: what a server that
        stopped or restarted closed under a request, and a browser would not show."""
        address = f"{pool.host}:{pool.port}" if pool is not None else "?"
        self.environment.events.request.fire(
            request_type=method or "?",
            name=RESENT.format(address=address),
            response_time=0,
            response_length=0,
            exception=None,
            context={},
        )

    def wait_time(self) -> float:
        """A person's pause between two actions: reading, hesitating."""
        return random.uniform(2, 8) * self.think_scale

    def pause(self, low: float, high: float) -> None:
        """A short hesitation within one action."""
        gevent.sleep(random.uniform(low, high) * self.think_scale)

    def config_get(self, key: str, default: Any) -> Any:
        """A value of the page's configuration block."""
        return (self.config or {}).get(key, default)

    @property
    def timeout(self) -> float:
        """How long the page waits for one answer."""
        return float(self.config_get("requestTimeoutMs", 8000)) / 1000

    def page_load(self, query: dict[str, str]) -> dict[str, Any] | None:
        """Load the page and its assets as a new document; return its configuration."""
        with self.client.get("/", params=query, name="/", catch_response=True) as response:
            page = page_read(response.text) if response.status_code == 200 else None
            if page is None or page.config is None:
                if not self.refused_for_load(response):
                    response.failure(f"the page answered {response.status_code} without its config")
                return None
        self.config = page.config
        self.on_page.clear()
        assets = [urljoin(response.url, asset) for asset in page.assets]
        texts = self.load_all([(url, STATIC) for url in assets])
        for url, text in zip(assets, texts, strict=True):
            if text is not None and urlsplit(url).path.endswith(".css"):
                self.stylesheet_images = [urljoin(url, ref) for ref in stylesheet_images(text)]
        return self.config

    def load_all(self, wanted: list[tuple[str, str]]) -> list[str | None]:
        """Load (url, name) pairs side by side, as a browser does; return their texts."""
        pool = Pool(BROWSER_CONNECTIONS)
        jobs = [pool.spawn(self.show, url, name=name) for url, name in wanted]
        gevent.joinall(jobs, raise_error=True)
        return [job.value for job in jobs]

    def show(self, url: str, *, name: str) -> str | None:
        """Load ``url`` into the document once, through the HTTP cache; return its text when
        it came in full."""
        if url in self.on_page:
            return None
        self.on_page.add(url)
        before = self.http_cache.get(url)
        if before and before.fresh_until > time.monotonic():
            return None
        headers = {"If-None-Match": before.etag} if before and before.etag else {}
        with self.client.get(
            url, name=name, headers=headers, timeout=self.timeout, catch_response=True
        ) as response:
            if response.status_code in (200, 304):
                self.http_cache[url] = cached_copy(
                    headers=dict(response.headers), now=time.monotonic(), before=before
                )
                response.success()
                return response.text if response.status_code == 200 else None
            self.on_page.discard(url)  # a broken picture: the page asks again next time
            if not self.refused_for_load(response):
                self.peer_down_or_failure(response, url=url)
        return None

    def refused_for_load(self, response: ResponseContextManager) -> bool:
        """An answer from a service's admission gate (503 overloaded, Retry-After): a row of
        its own, not a failure; the page asks again on its next turn. False for any other."""
        retry_after = response.headers.get("Retry-After")
        if not overloaded(response.status_code, retry_after, json_object(response)):
            return False
        rename(response, OVERLOADED)
        response.success()
        return True

    def peer_down_or_failure(self, response: ResponseContextManager, *, url: str) -> None:
        """A peer that is down (503, or no answer) is what the lab is built to survive: the
        composition says so and the page draws without it. Such answers get a row of their
        own rather than counting as failures; anything else, or the front door, fails."""
        is_peer = urlsplit(url).netloc != urlsplit(self.host or "").netloc
        if is_peer and response.status_code in (0, 503):
            rename(response, "service down")
            response.success()
        else:
            response.failure(f"{url} answered {response.status_code}")

    def pictures_show(self, parts: list[dict[str, Any]]) -> None:
        """Draw each part's picture, loaded straight from its own service."""
        urls = [part["image_url"] for part in parts if part.get("available", True)]
        self.load_all([(url, image_name(url)) for url in urls if url])
