"""Django app configuration of the assembler."""

from typing import Any

from django.apps import AppConfig
from django.core.signals import setting_changed

from bodies.assembler.upstream import upstreams_reset

# The settings the peer clients are built from.
UPSTREAM_SETTINGS = {
    "FROSTINGS_URL",
    "TOPPINGS_URL",
    "UPSTREAM_TIMEOUT",
    "UPSTREAM_ATTEMPTS",
    "BREAKER_FAILURES",
    "BREAKER_RESET",
    "UPSTREAM_TRANSPORT",
}


def upstream_settings_changed(*, setting: str, **kwargs: Any) -> None:
    """Drop the peer clients when a setting they were built from changes (tests do this)."""
    if setting in UPSTREAM_SETTINGS:
        upstreams_reset()


class AssemblerConfig(AppConfig):
    """The assembler app: lab page, composition, baking and the gallery."""

    name = "bodies.assembler"
    label = "assembler"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Listen for changes of the upstream settings."""
        setting_changed.connect(upstream_settings_changed, dispatch_uid="assembler-upstreams")
