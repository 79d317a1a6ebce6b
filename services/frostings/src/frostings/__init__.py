"""The frostings service of Cupcake Lab (Flask + APIFlask): frostings and the pairing rules.

``create_app`` is the application factory; granian serves what ``frostings.wsgi.make_app``
builds with it (``granian --interface wsgi --factory frostings.wsgi:make_app``). The app is built by
``frostings.app``, imported on the first call and not with the package, so that
``frostings-migrate``, when it finds nothing to do, imports no framework.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from apiflask import APIFlask

    from cupcake_chassis.wiring import Wiring


def create_app(
    test_config: Mapping[str, Any] | None = None, *, wiring: Wiring | None = None
) -> APIFlask:
    """Build the WSGI app from the environment, overridden by ``test_config`` if given, its
    peer clients and deadlines on ``wiring`` (by default the network and the system clock)."""
    from frostings.app import create_app as app_create

    return app_create(test_config, wiring=wiring)
