"""The failure table (docs/architecture.md) across real network boundaries: one service
per host, links cut.

A host is cut off two ways. At the root namespace's end of its link its route goes, so a
connection to it from there fails at once (no route to host). Inside its own namespace the
route stays towards a link with no carrier, so a connection to it is a silent stall. Either
way the front door answers within its deadline with the cut-off layer unavailable, refuses
to bake what needs it, and is whole again within seconds of the link coming back, with
every process the one it was.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import httpx
import pytest

from tests.e2e.conftest import wait_until
from tests.failure.conftest import WITHIN_DEADLINE, compose
from tests.failure.test_baking_during_failures import CUPCAKE, bake, gallery_total
from tests.failure.test_failure_table import all_ok, noticed_down

from .network import HostNetwork, connect_outcome
from .spread_lab import SpreadLab

SERVICES = ("bodies", "frostings", "toppings")
RECOVERY_LIMIT = 10.0
# A refusal by the routing table comes back within the connect() call itself.
AT_ONCE = 0.2
STALL_PROBE = 1.0


@pytest.fixture(autouse=True)
def connected(lab: SpreadLab, network: HostNetwork) -> Iterator[None]:
    """Each test starts, and leaves, every link up and every layer ok."""
    network.mend_all()
    wait_until(lambda: all_ok(lab), timeout=20)
    yield
    network.mend_all()


def test_every_layer_is_ok_with_each_service_on_its_own_host(lab: SpreadLab) -> None:
    timed = compose(lab)
    assert timed.response.status_code == 200
    services = timed.body["services"]
    assert isinstance(services, dict)
    for name in SERVICES:
        assert services[name]["status"] == "ok"
        # The assembler names the address it reached each peer at: the peer's own host.
        assert services[name]["url"] == lab.urls[name]
    for layer, owner in (("body", "bodies"), ("frosting", "frostings"), ("topping", "toppings")):
        part = timed.body[layer]
        assert isinstance(part, dict)
        assert part["image_url"].startswith(f"{lab.urls[owner]}/")
    # Each host holds its own service only: toppings' port is closed on bodies' host.
    bodies_address = lab.endpoint("bodies")[0]
    toppings_port = lab.endpoint("toppings")[1]
    assert connect_outcome(bodies_address, toppings_port, timeout=1)[0] == "refused"


def holds_without(lab: SpreadLab, service: str) -> None:
    """The failure table's row for ``service`` cut off, then the refused bake."""
    # Waits for the state asserted below: frostings cut off may first show as degraded (its
    # list still fresh in the assembler's cache, only the call for the toppings failing).
    noticed_down(lab, service, statuses=("unavailable",))
    for _ in range(5):
        timed = compose(lab)
        assert timed.response.status_code == 200
        assert timed.seconds < WITHIN_DEADLINE
        # A peer that cannot be reached is unavailable, whatever its cached answers hold.
        assert timed.status_of(service) == "unavailable"
        assert timed.status_of("bodies") == "ok"
        assert timed.body["body"]["slug"] == "vanilla"  # type: ignore[index]
    before = gallery_total(lab)
    refused = bake(lab, CUPCAKE, str(uuid.uuid4()))
    assert refused.status_code == 503, refused.text
    assert int(refused.headers["retry-after"]) > 0
    assert refused.headers["content-type"] == "application/problem+json"
    assert gallery_total(lab) == before


def recovers_unrestarted(lab: SpreadLab, network: HostNetwork, service: str) -> None:
    """Mend ``service``'s link: every layer ok again within the limit, by the same processes."""
    pids = lab.pids()
    network.mend(service)
    took = wait_until(lambda: all_ok(lab), timeout=RECOVERY_LIMIT)
    assert took < RECOVERY_LIMIT
    assert lab.pids() == pids and None not in pids.values()


def frostings_says_toppings_degraded(lab: SpreadLab) -> bool:
    """Whether frostings' own /toppings answer is 200 and says it is degraded."""
    answer = httpx.get(f"{lab.urls['frostings']}/api/v1/frostings/vanilla/toppings", timeout=5)
    assert answer.status_code == 200
    return bool(answer.json()["status"] == "degraded")


CUTS: dict[str, tuple[Callable[[HostNetwork, str], None], str]] = {
    "at-the-root-end": (HostNetwork.cut_root_end, "no route to host"),
    "inside-its-host": (HostNetwork.cut_host_end, "timed out"),
}


@pytest.mark.parametrize("where", list(CUTS))
def test_toppings_cut_off_leaves_body_and_frosting_composed_then_recovers(
    lab: SpreadLab, network: HostNetwork, where: str
) -> None:
    cut, network_says = CUTS[where]
    cut(network, "toppings")
    # What the network itself does, seen from the root namespace before any other traffic.
    outcome, seconds = connect_outcome(*lab.endpoint("toppings"), timeout=STALL_PROBE)
    assert outcome == network_says
    if outcome == "no route to host":
        assert seconds < AT_ONCE
    holds_without(lab, "toppings")
    timed = compose(lab)
    assert timed.status_of("frostings") in ("ok", "degraded")
    assert timed.body["frosting"]["slug"] == "chocolate"  # type: ignore[index]
    wait_until(lambda: frostings_says_toppings_degraded(lab), timeout=10)
    recovers_unrestarted(lab, network, "toppings")


def test_frostings_cut_off_leaves_the_body_composed_then_recovers(
    lab: SpreadLab, network: HostNetwork
) -> None:
    network.cut_host_end("frostings")
    holds_without(lab, "frostings")
    # toppings, on its own host, keeps serving its own API.
    answer = httpx.get(f"{lab.urls['toppings']}/api/v1/toppings", timeout=5)
    assert answer.status_code == 200
    recovers_unrestarted(lab, network, "frostings")
