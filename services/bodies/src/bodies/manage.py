"""The ``bodies-manage`` command: Django's manage.py for the installed service."""

import os
import sys


def main() -> None:
    """Run a Django management command, e.g. ``bodies-manage migrate --noinput``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bodies.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
