"""The service's HTTP API: django-ninja, with problem+json errors and its OpenAPI document."""

from typing import Any

from django.views.decorators.http import require_safe
from ninja import NinjaAPI

from bodies.assembler.api import router as assembler_router
from bodies.assembler.traces import router as traces_router
from bodies.catalogue.api import router as catalogue_router
from bodies.core.api_errors import api_errors_install
from bodies.core.json_body import JsonObjectParser
from bodies.core.probes import router as probes_router
from bodies.core.problem_schemas import problem_media_types_apply
from bodies.lab.chaos_api import router as lab_chaos_router


class BodiesAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document declares problems with their own media type."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        """Return the OpenAPI document, with problem responses as application/problem+json."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        problem_media_types_apply(schema)
        return schema


def api_create() -> NinjaAPI:
    """Build the API: the probes at the root, the catalogue under /api/v1/bodies, the
    assembler (composition, baking, gallery) beside it under /api/v1, the traces of recent
    requests under /api/v1/traces, and the chaos
    drawer's controls under /api/v1/lab.

    It is mounted at the site root so that /healthz and /readyz are operations of the
    same OpenAPI document as the catalogue; the document itself is at /api/v1/openapi.json.
    """
    api = BodiesAPI(
        title="Cupcake Lab bodies",
        version="1.0.0",
        description="Cupcake bodies: the bottom layer of every cupcake in the lab.",
        urls_namespace="api",
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        docs_decorator=require_safe,
        parser=JsonObjectParser(),
    )
    api_errors_install(api)
    api.add_router("", probes_router)
    api.add_router("/api/v1/bodies", catalogue_router)
    api.add_router("/api/v1", assembler_router)
    api.add_router("/api/v1/traces", traces_router)
    api.add_router("/api/v1/lab", lab_chaos_router)
    return api
