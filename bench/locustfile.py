"""Locust users that behave like people on the lab page, for watching the lab under load.

Each user opens the page as a browser does (the HTML, its stylesheet and ES modules, then at
once the composition, the first gallery page and the chaos check, and every card's picture
straight from its own service, six at a time), keeps re-composing every ``pollMs`` as the
page polls, picks cards the composition allows, bakes now and then with a fresh
``Idempotency-Key`` (sometimes sending it twice, as after a lost answer, to see the replay),
browses the gallery and reads the catalogues. Every address but the front door's comes from
the page and the compositions, as in the browser.

Run from the repository root against a running lab (``make up`` in another terminal)::

    make locust     # Locust's web UI on http://127.0.0.1:8089, aimed at http://127.0.0.1:8000

Without the UI, for 30 s with 20 people arriving 5 a second::

    .venv/bin/locust -f bench/locustfile.py --headless -u 20 -r 5 -t 30s --only-summary

``--host`` (or ``BODIES_URL``) names the front door; ``FROSTINGS_URL`` and ``TOPPINGS_URL``
are used only until the first composition says where those services are.
``--think-scale 0.1`` (or ``CUPCAKE_THINK_SCALE``) makes everyone ten times as impatient.
Kill or pause a service meanwhile (``cupcake-lab kill toppings``) and watch the rows: the
composition stays 200, pictures and catalogue reads of the dead service move to rows marked
``[service down]``, and bakes to ``[503 Retry-After, rule owner down]``.

Every simulated person comes from 127.0.0.1, and baking is limited per client address
(``BAKE_RATE_LIMIT``, 60 a minute by default): bakes past it go to the row
``[429 Retry-After, rate limited]``. To load baking itself, start the lab with
``BAKE_RATE_LIMIT=off``.
"""

from __future__ import annotations

import os
import random
import time
import uuid
from dataclasses import dataclass
from typing import Any

import gevent
from gevent.event import Event
from locust import task

from bench.lab_browser import STATIC, LabBrowser, json_object, rename
from bench.lab_page import (
    LAYERS,
    Choices,
    allowed_cards,
    choices_after_refusal,
    cupcake_name,
    retry_after_seconds,
    rules_checked,
)

PEER_DEFAULTS = {"frostings": "http://127.0.0.1:5000", "toppings": "http://127.0.0.1:6500"}
REPLAY_SHARE = 0.15  # how often a baker's answer seems lost and the same key is sent again


def refused_by_rule(response: Any) -> bool:
    """Whether an answer is a 422 naming the rule it broke."""
    return bool((json_object(response) or {}).get("rule"))


@dataclass(frozen=True)
class Bake:
    """One bake as sent; after a 503 the page sends the same key when the baker tries again."""

    key: str
    payload: dict[str, str]


class LabVisitor(LabBrowser):
    """One person with the lab page open."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices: Choices = dict.fromkeys(LAYERS)
        self.composition: dict[str, Any] | None = None
        # The choices ``composition`` answered: after a composition refused for load, the
        # page still shows the cards of the one before, for other choices.
        self.composed_for: Choices | None = None
        # False while the choices hold a combination no composition has checked: a lower
        # layer changed under upper ones, a card came from the composition of other choices,
        # or the rules' owner (frostings) could not answer.
        # The lab may then refuse the combination (422), and the page drops layers.
        self.vouched = True
        self.addresses = {
            name: os.environ.get(f"{name.upper()}_URL", default)
            for name, default in PEER_DEFAULTS.items()
        }
        self.gallery_next: str | None = None
        self.pending: Bake | None = None
        self.retry_not_before = 0.0
        self.choice_made = Event()
        self.poller: Any = None

    def on_start(self) -> None:
        """Open the page."""
        self.page_open()

    def on_stop(self) -> None:
        """Close the page: its polling stops."""
        if self.poller is not None:
            self.poller.kill(block=False)

    def page_open(self) -> None:
        """Open the page with the choices in its URL; its modules compose, load the gallery
        and check for chaos all at once, then keep polling."""
        config = self.page_load({layer: slug for layer, slug in self.choices.items() if slug})
        if config is None:
            return
        if config.get("chaosUrl"):  # the page does not wait for this one
            gevent.spawn(self.client.get, config["chaosUrl"], name=config["chaosUrl"])
        first_page = f"{config['cupcakesUrl']}?page=1&page_size={config['galleryPageSize']}"
        gevent.joinall(
            [gevent.spawn(self.compose), gevent.spawn(self.gallery_page, first_page)],
            raise_error=True,
        )
        if self.poller is None or self.poller.dead:
            self.poller = gevent.spawn(self.poll)

    # The live composition

    def compose(self) -> None:
        """Ask for the composition of the current choices and draw it, as the page does."""
        if self.config is None:
            return
        sent = dict(self.choices)
        # Whether these choices came allowed, as they are sent: the poller may compose the
        # same choices meanwhile, and its answer may vouch for others before this one is back.
        vouched = self.vouched
        url = self.config["composeUrl"]
        with self.client.get(
            url,
            params={layer: slug for layer, slug in sent.items() if slug},
            name=url,
            headers={"Accept": "application/json"},
            timeout=self.timeout,
            catch_response=True,
        ) as response:
            doc = json_object(response) or {}
            if response.status_code == 200 and "choices" in doc and "services" in doc:
                response.success()
            elif response.status_code == 422 and doc.get("rule") and not vouched:
                rename(response, "422 refused, layers dropped")
                response.success()
            elif self.refused_for_load(response):
                return  # the poller composes again on its next turn
            else:
                # The contract: 200 whichever peer is down; 422 only for what the rules forbid,
                # and every choice here came allowed from the previous composition.
                response.failure(f"the composition answered {response.status_code}")
                return
        if sent != self.choices:
            return  # an answer for choices since changed: the page drops it
        self.vouched = response.status_code == 422 or rules_checked(doc, sent)
        if response.status_code == 422:
            self.choices = choices_after_refusal(sent, rule=doc.get("rule"))
            self.compose()
            return
        self.composition = doc
        self.composed_for = sent
        for name, service in doc["services"].items():
            if name in self.addresses and service.get("url"):
                self.addresses[name] = service["url"]
        cards = [item for items in doc["choices"].values() for item in items]
        self.pictures_show(cards + [doc[layer] for layer in LAYERS if doc.get(layer)])

    def poll(self) -> None:
        """Compose again every ``pollMs``, the timer restarted by every choice (in a greenlet
        of its own, as the page's timer runs beside the person)."""
        while True:
            if self.choice_made.wait(timeout=float(self.config_get("pollMs", 2000)) / 1000):
                self.choice_made.clear()
                continue
            try:
                self.compose()
            except Exception as error:  # reported like a task's error; the polling goes on
                self.environment.events.user_error.fire(
                    user_instance=self, exception=error, tb=error.__traceback__
                )

    def choose(self, layer: str, slug: str | None) -> None:
        """Click a card, then compose at once."""
        upper_chosen = any(self.choices[upper] for upper in LAYERS[LAYERS.index(layer) + 1 :])
        if upper_chosen or self.composed_for != self.choices:
            # A lower layer changed under upper ones, or the card came from a composition of
            # other choices: nothing has checked the new combination yet.
            self.vouched = False
        self.choices[layer] = slug
        self.load_all([(url, STATIC) for url in self.stylesheet_images])  # the card's tick
        self.compose()
        self.choice_made.set()

    def pick(self, layer: str) -> bool:
        """Pick a card the last composition allows in ``layer``; False when none is."""
        cards = allowed_cards(self.composition, layer=layer, chosen=self.choices[layer])
        if cards:
            self.choose(layer, random.choice(cards))
        return bool(cards)

    # What people do

    @task(6)
    def pick_a_card(self) -> None:
        """Pick the next layer, or change one's mind about a layer, or start over."""
        if self.composition is None:
            self.page_open()
            return
        missing = [layer for layer in LAYERS if not self.choices[layer]]
        chosen = [layer for layer in LAYERS if self.choices[layer]]
        if not missing and random.random() < 0.15:
            self.choices = dict.fromkeys(LAYERS)  # "Start over"
            self.compose()
            self.choice_made.set()
        elif missing and (not chosen or random.random() < 0.8):
            self.pick(missing[0])
        else:
            self.pick(random.choice(chosen))

    @task(4)
    def bake(self) -> None:
        """Finish the cupcake if need be, name it, and press Bake."""
        if self.composition is None:
            self.page_open()
            return
        if time.monotonic() < self.retry_not_before:
            return  # the page said to try again in a few seconds
        for layer in LAYERS:
            if not self.choices[layer]:
                if not self.pick(layer):
                    return  # nothing to pick there now (its service is down): watch the page
                self.pause(1, 3)
        if not all(self.choices.values()):
            return  # the page polled meanwhile and a refusal dropped a layer: no Bake button
        parts = {layer: str(self.choices[layer]) for layer in LAYERS}
        if self.pending and all(self.pending.payload[layer] == parts[layer] for layer in LAYERS):
            attempt = self.pending  # "Try again": the same key bakes it exactly once
        else:
            name = cupcake_name()
            payload = parts | ({"name": name} if name else {})
            attempt = Bake(key=str(uuid.uuid4()), payload=payload)
        location = self.bake_send(attempt)
        if location and random.random() < REPLAY_SHARE:
            self.bake_again(attempt, location=location)

    def bake_post(self, attempt: Bake, *, name: str) -> Any:
        """POST a bake with its Idempotency-Key (a with-block of Locust's)."""
        url = self.config_get("cupcakesUrl", "/api/v1/cupcakes")
        return self.client.post(
            url,
            json=attempt.payload,
            headers={"Idempotency-Key": attempt.key, "Accept": "application/json"},
            name=name.format(url=url),
            timeout=self.timeout,
            catch_response=True,
        )

    def bake_send(self, attempt: Bake) -> str | None:
        """Bake; return the cupcake's Location after a 201."""
        # Whether the cupcake came allowed, as it is sent: the poller may compose meanwhile
        # and vouch for other choices before the bake is answered.
        vouched = self.vouched
        with self.bake_post(attempt, name="{url}") as response:
            retry_after = retry_after_seconds(response.headers.get("Retry-After"))
            if response.status_code == 201 and response.headers.get("Location"):
                self.pending = None
                response.success()
                return str(response.headers["Location"])
            # Like the page: after no answer or a 5xx, "Try again" resends the same key.
            retryable = response.status_code == 0 or response.status_code >= 500
            self.pending = attempt if retryable else None
            if self.refused_for_load(response):
                self.retry_not_before = time.monotonic() + (retry_after or 1) * self.think_scale
            elif response.status_code == 503 and retry_after:
                # The contract: baking while a rule owner is down answers 503 + Retry-After and
                # saves nothing. That is the contract kept, not a failure: a row of its own.
                rename(response, "503 Retry-After, rule owner down")
                response.success()
                self.retry_not_before = time.monotonic() + retry_after * self.think_scale
            elif response.status_code == 422 and refused_by_rule(response) and not vouched:
                # Baked from a composition that could not check the rules (their owner did
                # not answer): the lab refuses what they forbid, as the page then shows.
                rename(response, "422 refused, rules unchecked")
                response.success()
            elif response.status_code == 429 and retry_after:
                # Baking is limited per client, and every person here is 127.0.0.1: the
                # limit answering is the contract kept too. Nothing was baked: same key later.
                rename(response, "429 Retry-After, rate limited")
                response.success()
                self.pending = attempt
                self.retry_not_before = time.monotonic() + retry_after * self.think_scale
            else:
                response.failure(f"baking answered {response.status_code}: {response.text[:200]}")
        return None

    def bake_again(self, attempt: Bake, *, location: str) -> None:
        """Send a bake again with its key, as after a lost answer: the first answer, replayed."""
        with self.bake_post(attempt, name="{url} [same key again]") as response:
            replayed = response.headers.get("Idempotent-Replayed") == "true"
            same = response.headers.get("Location") == location
            if response.status_code == 201 and replayed and same:
                response.success()
            elif not self.refused_for_load(response):
                response.failure(
                    f"the same key answered {response.status_code}, replayed={replayed}, "
                    f"Location {response.headers.get('Location')} (first {location})"
                )

    @task(2)
    def browse_gallery(self) -> None:
        """Show more of the gallery; with all of it seen, back to the cards."""
        if self.gallery_next:
            self.gallery_page(self.gallery_next)
        else:
            self.pick_a_card()

    def gallery_page(self, url: str) -> None:
        """Load one page of the gallery and draw its cupcakes."""
        with self.client.get(
            url,
            name="/api/v1/cupcakes?page={n}",
            headers={"Accept": "application/json"},
            timeout=self.timeout,
            catch_response=True,
        ) as response:
            doc = json_object(response)
            if response.status_code != 200 or doc is None or "items" not in doc:
                if not self.refused_for_load(response):
                    response.failure(f"the gallery answered {response.status_code}")
                return
            response.success()
        self.gallery_next = doc.get("next")
        self.pictures_show([cupcake[layer] for cupcake in doc["items"] for layer in LAYERS])

    @task(1)
    def read_catalogues(self) -> None:
        """Read each service's catalogue from its own API, revalidating with its ETag."""
        addresses = {"bodies": self.host or "", **self.addresses}
        urls = {service: f"{address}/api/v1/{service}" for service, address in addresses.items()}
        self.on_page.difference_update(urls.values())  # asked afresh, through the cache
        self.load_all([(url, f"{service}: /api/v1/{service}") for service, url in urls.items()])

    @task(1)
    def reload_page(self) -> None:
        """Reload the page (the choices stay in its URL)."""
        self.page_open()
