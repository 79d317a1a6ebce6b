"""The Django admin for baked cupcakes: a read-only gallery at /admin/assembler/cupcake/."""

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString

from bodies.assembler.models import Cupcake
from bodies.catalogue.validation import is_slug

if TYPE_CHECKING:
    # django-stubs makes ModelAdmin generic; at run time Django's class is not subscriptable.
    CupcakeAdminBase = admin.ModelAdmin[Cupcake]
else:
    CupcakeAdminBase = admin.ModelAdmin

LAYER_STYLE = "position:absolute;inset:0;width:48px;height:48px"


class SlugListFilter(admin.AllValuesFieldListFilter):
    """Filter by the slug of a part: a value that is no slug is a bad filter, answered the
    way the admin answers any (back to the list, ``?e=1``), before it reaches the database:
    PostgreSQL refuses a NUL character in a query."""

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any] | None:
        """The cupcakes of the chosen slug; IncorrectLookupParameters for what is no slug."""
        chosen = self.used_parameters.get(self.lookup_kwarg) or []
        values = chosen if isinstance(chosen, list) else [chosen]
        if not all(isinstance(value, str) and is_slug(value) for value in values):
            raise IncorrectLookupParameters(f"{self.lookup_kwarg} must be a slug")
        return super().queryset(request, queryset)


@admin.register(Cupcake)
class CupcakeAdmin(CupcakeAdminBase):
    """Cupcakes as baked, with their stacked picture; they are only ever made by baking."""

    list_display = ["name", "created_at", "body_name", "frosting_name", "topping_name", "picture"]
    search_fields = ["name", "body_slug", "frosting_slug", "topping_slug"]
    list_filter = [
        ("body_slug", SlugListFilter),
        ("frosting_slug", SlugListFilter),
        ("topping_slug", SlugListFilter),
    ]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Cupcakes are baked through the API, which checks the rules; not added here."""
        return False

    def has_change_permission(self, request: HttpRequest, obj: Cupcake | None = None) -> bool:
        """A baked cupcake keeps its parts as they were."""
        return False

    @admin.display(description="picture")
    def picture(self, obj: Cupcake) -> SafeString:
        """The three layers stacked, from the pictures' URLs kept when it was baked."""
        return format_html(
            '<span style="position:relative;display:inline-block;width:48px;height:48px">'
            '<img src="{}" style="{}" alt=""><img src="{}" style="{}" alt="">'
            '<img src="{}" style="{}" alt=""></span>',
            obj.body_image_url,
            LAYER_STYLE,
            obj.frosting_image_url,
            LAYER_STYLE,
            obj.topping_image_url,
            LAYER_STYLE,
        )
