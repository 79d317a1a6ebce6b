"""The lab the fuzzer runs against: the three real apps in one process, each on a fresh
migrated database, wired to each other as in the contract tests, each behind a counter of
the requests the fuzzer sends it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from tests.inprocess import WsgiApp

# The host each service answers on in the lab, and the names of the services.
HOSTS = {"bodies": "bodies.test", "frostings": "frostings.test", "toppings": "toppings.test"}


def counted(app: WsgiApp, *, name: str, counter: Counter[str]) -> WsgiApp:
    """``app`` behind a WSGI layer that counts each request it gets under ``name``, and
    gives it the service's lab host name (schemathesis calls every WSGI app ``localhost``),
    as a proxy in front of it would."""

    def counting_app(
        environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        counter[name] += 1
        environ["HTTP_HOST"] = environ["SERVER_NAME"] = HOSTS[name]
        result: Iterable[bytes] = app(environ, start_response)
        return result

    return counting_app


@dataclass
class FuzzLab:
    """The apps the fuzzer calls (counted), how many requests each got from it, and how
    many stored items were read back and checked against the rules afterwards."""

    apps: dict[str, WsgiApp]
    requests: Counter[str] = field(default_factory=Counter)
    checked: Counter[str] = field(default_factory=Counter)

    def fuzzed(self, name: str) -> WsgiApp:
        """The app of service ``name`` as the fuzzer calls it: its requests are counted."""
        return counted(self.apps[name], name=name, counter=self.requests)
