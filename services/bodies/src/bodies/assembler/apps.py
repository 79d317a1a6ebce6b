"""Django app configuration of the assembler: it builds the clients of the peers."""

from typing import Any, cast

from django.apps import AppConfig, apps
from django.conf import settings

from bodies.assembler.upstream import Upstreams, upstream_policy, upstreams_create
from cupcake_chassis.upstream import UpstreamPolicy


def policy_from_settings(config: Any) -> UpstreamPolicy:
    """How patient and persistent to be with a peer, as the settings ``config`` say
    (timeout, tries, circuit breaker)."""
    return upstream_policy(
        timeout=config.UPSTREAM_TIMEOUT,
        attempts=config.UPSTREAM_ATTEMPTS,
        breaker_failures=config.BREAKER_FAILURES,
        breaker_reset=config.BREAKER_RESET,
    )


class AssemblerConfig(AppConfig):
    """The assembler app: lab page, composition, baking and the gallery.

    It owns the peer clients (``upstreams``), one per peer per process, so that every
    request of the process shares their circuit breakers and caches.
    """

    name = "bodies.assembler"
    label = "assembler"
    default_auto_field = "django.db.models.BigAutoField"
    upstreams: Upstreams

    def ready(self) -> None:
        """Build the peer clients from the settings (no connection is made before a call)."""
        self.upstreams = upstreams_create(
            frostings_url=settings.FROSTINGS_URL,
            toppings_url=settings.TOPPINGS_URL,
            policy=policy_from_settings(settings),
        )


def app_upstreams() -> Upstreams:
    """The peer clients of the running app."""
    return cast(AssemblerConfig, apps.get_app_config("assembler")).upstreams
