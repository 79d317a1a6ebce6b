"""The ``bodies-manage`` command: Django's manage.py for the installed service."""

import os
import sys

# ``migrate`` as the launcher runs it at every start of the lab.
PLAIN_MIGRATE = (["migrate"], ["migrate", "--noinput"])


def main() -> None:
    """Run a Django management command, e.g. ``bodies-manage migrate --noinput``.

    A plain ``migrate`` with every migration already applied ends at once, without
    importing Django (``bodies.config.migration_state``).
    """
    if sys.argv[1:] in PLAIN_MIGRATE:
        from bodies.config.migration_state import migrations_are_applied

        if migrations_are_applied():
            print("bodies: every migration is applied, nothing to migrate")
            return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bodies.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
