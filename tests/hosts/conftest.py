"""Fixtures of the multi-host tests: three network namespaces and the lab spread over them.

They need root and iproute2's ``ip``; without either the suite is skipped with a clear
message, unless ``CUPCAKE_REQUIRE_ALL_SUITES=1`` (set by CI) makes that a failure.
"""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import pytest

from .network import HostNetwork, leftovers, machine_lock, remove_everything_matching
from .spread_lab import SpreadLab

ADMIN_TOKEN = "hosts-admin-token"


@pytest.fixture(scope="session")
def can_build_hosts() -> None:
    """Nothing when this process may build namespaces; else a skip (a failure in CI)."""
    missing = []
    if os.geteuid() != 0:
        missing.append("root (they create network namespaces and links)")
    if shutil.which("ip") is None:
        missing.append("iproute2's ip command (on Debian or Ubuntu: apt-get install iproute2)")
    if not missing:
        return
    message = "the multi-host tests need " + " and ".join(missing)
    if os.environ.get("CUPCAKE_REQUIRE_ALL_SUITES") == "1":
        pytest.fail(f"{message}; CUPCAKE_REQUIRE_ALL_SUITES=1 requires every suite to run")
    pytest.skip(message)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


@contextmanager
def termination_interrupts() -> Iterator[None]:
    """Turn SIGTERM into KeyboardInterrupt meanwhile, so that pytest still runs the finalisers."""
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@pytest.fixture(scope="module")
def network(can_build_hosts: None) -> Iterator[HostNetwork]:
    """The three hosts, built after clearing a killed run's leftovers, always removed after."""
    with machine_lock(), termination_interrupts():
        # Under the lock no other run owns these names: whatever matches is a leftover.
        stale_errors = remove_everything_matching()
        assert not any(leftovers().values()), f"could not clear leftovers: {stale_errors}"
        hosts = HostNetwork()
        try:
            hosts.build()
            yield hosts
        finally:
            errors = hosts.remove()
            left = leftovers()
            assert not any(left.values()), f"left behind: {left}; errors: {errors}"


@pytest.fixture(scope="module")
def lab(network: HostNetwork, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SpreadLab]:
    """The lab, one service per host, stopped (by process group) before the network goes."""
    root = tmp_path_factory.mktemp("hosts")
    with (root / "output.log").open("w", encoding="utf-8") as output:
        spread = SpreadLab(network, root, token=ADMIN_TOKEN, output=output)
        try:
            spread.start()
            yield spread
        finally:
            spread.stop()
