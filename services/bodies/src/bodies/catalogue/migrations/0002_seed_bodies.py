"""Seed the catalogue, so a fresh database is never empty."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

# Frozen here, as migrations must be: later edits of the catalogue belong to its data.
SEED_BODIES = [
    {
        "slug": "vanilla",
        "name": "Vanilla",
        "description": "A light golden sponge, flecked with real vanilla bean.",
        "color": "#f3d9a4",
    },
    {
        "slug": "chocolate",
        "name": "Chocolate",
        "description": "A deep, moist cocoa sponge studded with dark chocolate chips.",
        "color": "#5b3a29",
    },
    {
        "slug": "carrot-cake",
        "name": "Carrot Cake",
        "description": "A warmly spiced carrot sponge with walnuts and cinnamon.",
        "color": "#d9893b",
    },
]


def seed_bodies(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Create the seeded bodies."""
    body_model = apps.get_model("catalogue", "Body")
    body_model.objects.bulk_create([body_model(**body) for body in SEED_BODIES])


def unseed_bodies(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Remove the seeded bodies (migrating backwards)."""
    body_model = apps.get_model("catalogue", "Body")
    body_model.objects.filter(slug__in=[body["slug"] for body in SEED_BODIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]

    operations = [migrations.RunPython(seed_bodies, unseed_bodies)]
