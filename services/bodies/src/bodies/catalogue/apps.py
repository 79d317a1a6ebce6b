"""App config of the catalogue."""

from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    """The catalogue of cupcake bodies."""

    name = "bodies.catalogue"
    label = "catalogue"
    verbose_name = "Catalogue"

    def ready(self) -> None:
        """Connect the signals that version the catalogue."""
        from bodies.catalogue import signals  # noqa: F401
