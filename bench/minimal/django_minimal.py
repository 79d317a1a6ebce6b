"""Django's minimal JSON view: one JsonResponse per request, no middleware, serving the
documents the harness captured from the lab (``bench.minimal.documents``)."""

from __future__ import annotations

from typing import Any

from bench.minimal.documents import Served, served_documents

urlpatterns: list[Any] = []


def view_for(served: Served) -> Any:
    """A view writing ``served``'s document with JsonResponse, in the lab's JSON style."""
    from django.http import JsonResponse

    params = {"separators": served.style.separators, "ensure_ascii": served.style.ensure_ascii}

    def view(request: Any) -> Any:
        return JsonResponse(served.document, safe=False, json_dumps_params=params)

    return view


def make_app() -> Any:
    """Configure Django for these views only and return its WSGI application."""
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
    for served in served_documents():
        urlpatterns.append(path(served.path.lstrip("/"), view_for(served)))
    return get_wsgi_application()
