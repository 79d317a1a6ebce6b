"""The service's environment, read as every Cupcake Lab service reads it (the chassis'
``Environment``), except that a bad value stops Django at start-up its own way, with
``ImproperlyConfigured``.

Light on purpose (no Django settings): the settings and the migrate command's quick
check (``bodies.config.migration_state``) both read it.
"""

from django.core.exceptions import ImproperlyConfigured

from cupcake_chassis.env import Environment

SERVICE_NAME = "bodies"


def environment() -> Environment:
    """The process's environment; a value the service cannot run with is refused."""
    return Environment(error=ImproperlyConfigured)
