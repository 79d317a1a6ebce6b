"""Django's minimal JSON view: one URL, one JsonResponse, no middleware."""

from __future__ import annotations

from typing import Any


def hello(request: Any) -> Any:
    """The smallest useful JSON answer."""
    from django.http import JsonResponse

    return JsonResponse({"items": []})


urlpatterns: list[Any] = []


def make_app() -> Any:
    """Configure Django for this one view and return its WSGI application."""
    import django
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application
    from django.urls import path

    settings.configure(
        DEBUG=False,
        SECRET_KEY="benchmark-only-not-a-secret",
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
    )
    django.setup()
    urlpatterns.append(path("hello", hello))
    return get_wsgi_application()
