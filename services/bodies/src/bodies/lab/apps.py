"""Django app configuration of the lab's tooling."""

from django.apps import AppConfig


class LabConfig(AppConfig):
    """The lab: the page that shows a cupcake being assembled, and the chaos drawer's API.

    It drives the assembler (composition, baking, gallery) through its HTTP API like any
    client, and holds no models.
    """

    name = "bodies.lab"
    label = "lab"
