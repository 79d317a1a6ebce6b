"""App config of the catalogue."""

from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    """The catalogue of cupcake bodies."""

    name = "bodies.catalogue"
    label = "catalogue"
    verbose_name = "Catalogue"
