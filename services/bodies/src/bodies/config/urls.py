"""URL configuration: the Django admin, and the API (which also answers the probes)."""

from django.contrib import admin
from django.urls import path

from bodies.api import api_create
from bodies.lab.page import lab_page

# Django-level errors (unknown paths, bad requests, crashes) answer problem+json too.
handler400 = "bodies.core.error_views.bad_request"
handler403 = "bodies.core.error_views.permission_denied"
handler404 = "bodies.core.error_views.page_not_found"
handler500 = "bodies.core.error_views.server_error"

api = api_create()

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", lab_page, name="lab_page"),
    path("", api.urls),
]
