"""The Django admin for bodies, at /admin/."""

from typing import TYPE_CHECKING

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from bodies.catalogue.models import Body

if TYPE_CHECKING:
    # django-stubs makes these generic; at run time Django's classes are not subscriptable.
    BodyFormBase = forms.ModelForm[Body]
    BodyAdminBase = admin.ModelAdmin[Body]
else:
    BodyFormBase = forms.ModelForm
    BodyAdminBase = admin.ModelAdmin


class BodyForm(BodyFormBase):
    """The body form, with room to write a description."""

    class Meta:
        model = Body
        fields = ["slug", "name", "description", "color"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


@admin.register(Body)
class BodyAdmin(BodyAdminBase):
    """Bodies, with their picture; a slug is fixed once the body exists."""

    form = BodyForm
    list_display = ["slug", "name", "color", "picture"]
    search_fields = ["slug", "name"]

    def get_readonly_fields(self, request: HttpRequest, obj: Body | None = None) -> list[str]:
        """Make the slug read-only on existing bodies: URLs and other services use it."""
        return ["slug"] if obj is not None else []

    @admin.display(description="picture")
    def picture(self, obj: Body) -> SafeString:
        """Show the body's picture in the list."""
        url = reverse("api:body_image", kwargs={"slug": obj.slug})
        return format_html('<img src="{}" width="48" height="48" alt="">', url)
