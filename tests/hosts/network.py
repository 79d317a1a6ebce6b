"""Three hosts on one machine: a network namespace each, wired to the root namespace by veths.

Each host ``NAME`` is a namespace ``cupcake-<pid>-NAME`` holding one end of a veth pair,
called ``eth0``, with the address 10.231.0.x/24 and ``lo`` up. The other end,
``cpk<pid><letter>``, stays in the root namespace with the address 10.231.0.254 and a route
to that host only. The root namespace routes between the hosts (forwarding and proxy ARP
are turned on for these links only, never machine-wide) and is where the test process
stands, so it reaches every host.

Why routed links and not a bridge: a bridge is a switch, so a link cut at either end looks
the same to the other hosts (frames go nowhere; a stall until ARP gives up). Here, cutting
the root end removes the host's route, so the ``unreachable`` route for the whole range
answers at once (no route to host; to the other hosts as ICMP, which the kernel rate-limits
to about one a second); cutting the namespace's own end leaves the route in place towards a
link with no carrier: a silent stall. The tests hold both.

Everything is added under a machine-wide lock, after removing what a killed earlier run
left behind (same name pattern), and removed by :meth:`HostNetwork.remove`.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

RANGE = "10.231.0.0/16"
PREFIX = "10.231.0"
ROUTER_ADDRESS = f"{PREFIX}.254"
HOST_NUMBERS = {"bodies": 1, "frostings": 2, "toppings": 3}
LOCK_FILE = Path("/run/lock/cupcake-hosts.lock")
# One whole run of the suite, on a busy machine, is well under this.
LOCK_TIMEOUT = 600.0
NAMESPACE_PATTERN = re.compile(r"^cupcake-\d+-[a-z]+$")
ROOT_END_PATTERN = re.compile(r"^cpk\d+[a-z]$")
HOST_END = "eth0"


class NetworkError(Exception):
    """An ``ip`` command failed; carries what it said."""


def ip(*args: str, namespace: str | None = None) -> str:
    """Run ``ip ARGS`` (inside ``namespace`` if given); its output, NetworkError if it fails."""
    command = ["ip", *(["-n", namespace] if namespace else []), *args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    if result.returncode != 0:
        raise NetworkError(f"{' '.join(command)}: {result.stderr.strip()}")
    return result.stdout


def link_setting(link: str, table: str, name: str, value: str) -> None:
    """Set one IPv4 setting of a single link of the root namespace (``table``: conf or neigh)."""
    Path("/proc/sys/net/ipv4", table, link, name).write_text(value)


@dataclass(frozen=True)
class Host:
    """One host: its namespace, its address, and the root end of its link."""

    name: str
    namespace: str
    address: str
    root_end: str


def hosts_for(pid: int) -> dict[str, Host]:
    """The three hosts of the run with process id ``pid``, by service name."""
    return {
        name: Host(
            name=name,
            namespace=f"cupcake-{pid}-{name}",
            address=f"{PREFIX}.{number}",
            root_end=f"cpk{pid}{name[0]}",
        )
        for name, number in HOST_NUMBERS.items()
    }


def leftovers() -> dict[str, list[str]]:
    """What this module's name patterns find on the machine: namespaces, links, the route."""
    namespaces = [line.split()[0] for line in ip("netns", "list").splitlines() if line.strip()]
    links = [line.split(":")[1].strip().split("@")[0] for line in ip("-o", "link").splitlines()]
    return {
        "namespaces": [n for n in namespaces if NAMESPACE_PATTERN.match(n)],
        "links": [link for link in links if ROOT_END_PATTERN.match(link)],
        "routes": ip("route", "show", RANGE).splitlines(),
    }


def remove_everything_matching() -> list[str]:
    """Remove every namespace, link and the range's route that match; the errors met."""
    found = leftovers()
    errors: list[str] = []
    # Links first: deleting a root end deletes its peer, wherever that is.
    for link in found["links"]:
        errors += _try("link", "del", link)
    for namespace in found["namespaces"]:
        errors += _try("netns", "del", namespace)
    # The route last, so that no packet for the range leaves the machine meanwhile.
    if found["routes"]:
        errors += _try("route", "del", "unreachable", RANGE)
    return errors


def _try(*args: str) -> list[str]:
    """Run ``ip ARGS`` for a clean-up step; its error as a list (empty if it worked)."""
    try:
        ip(*args)
    except NetworkError as exc:
        return [str(exc)]
    return []


@contextmanager
def machine_lock(timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the lock that lets one run at a time own the range and the name patterns."""
    LOCK_FILE.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + timeout
    with LOCK_FILE.open("w") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise NetworkError(
                        f"another run has held {LOCK_FILE} for {timeout:.0f} s"
                    ) from None
                time.sleep(0.5)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class HostNetwork:
    """The three hosts and their links, built by :meth:`build` and removed by :meth:`remove`."""

    def __init__(self, pid: int | None = None) -> None:
        self.hosts = hosts_for(os.getpid() if pid is None else pid)

    def build(self) -> None:
        """Add the unreachable route first, then each host's namespace and link."""
        ip("route", "add", "unreachable", RANGE)
        for host in self.hosts.values():
            self._host_add(host)

    def _host_add(self, host: Host) -> None:
        ip("netns", "add", host.namespace)
        ip("link", "add", host.root_end, "type", "veth", "peer", "name", HOST_END,
           "netns", host.namespace)  # fmt: skip
        # A /32 with the host as its peer: the route to the host lives and dies with this end.
        ip("address", "add", ROUTER_ADDRESS, "peer", f"{host.address}/32", "dev", host.root_end)
        link_setting(host.root_end, "conf", "forwarding", "1")
        link_setting(host.root_end, "conf", "proxy_arp", "1")
        # Answer a host's ARP for its peers at once, not after a random delay of up to 0.8 s.
        link_setting(host.root_end, "neigh", "proxy_delay", "0")
        ip("link", "set", host.root_end, "up")
        ip("address", "add", f"{host.address}/24", "dev", HOST_END, namespace=host.namespace)
        ip("link", "set", "lo", "up", namespace=host.namespace)
        ip("link", "set", HOST_END, "up", namespace=host.namespace)

    def cut_root_end(self, name: str) -> None:
        """Take host ``name``'s link down at the root namespace's end."""
        ip("link", "set", self.hosts[name].root_end, "down")

    def cut_host_end(self, name: str) -> None:
        """Take host ``name``'s link down inside its own namespace."""
        host = self.hosts[name]
        ip("link", "set", HOST_END, "down", namespace=host.namespace)

    def mend(self, name: str) -> None:
        """Bring both ends of host ``name``'s link up again (whichever was cut)."""
        host = self.hosts[name]
        ip("link", "set", host.root_end, "up")
        ip("link", "set", HOST_END, "up", namespace=host.namespace)

    def mend_all(self) -> None:
        """Bring every link up."""
        for name in self.hosts:
            self.mend(name)

    def remove(self) -> list[str]:
        """Remove this run's links, namespaces and the route; the errors met, if any."""
        errors: list[str] = []
        for host in self.hosts.values():
            errors += _try("link", "del", host.root_end)
        for host in self.hosts.values():
            errors += _try("netns", "del", host.namespace)
        errors += _try("route", "del", "unreachable", RANGE)
        return errors


def connect_outcome(address: str, port: int, *, timeout: float) -> tuple[str, float]:
    """Try a TCP connection from the root namespace: what happened and how long it took.

    ``connected``, ``no route to host``, ``refused`` or ``timed out``.
    """
    started = time.perf_counter()
    try:
        with socket.create_connection((address, port), timeout=timeout):
            outcome = "connected"
    except TimeoutError:
        outcome = "timed out"
    except OSError as exc:
        names = {errno.EHOSTUNREACH: "no route to host", errno.ECONNREFUSED: "refused"}
        outcome = names.get(exc.errno or 0, f"error {exc.errno}")
    return outcome, time.perf_counter() - started
