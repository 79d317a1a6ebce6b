"""WSGI entry point: ``granian --interface wsgi bodies.config.wsgi:application``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bodies.config.settings")

application = get_wsgi_application()
