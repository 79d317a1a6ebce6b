"""The lab page at ``/``: one HTML document; its ES modules (static/) drive it through the API."""

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

# The page runs no inline script or style and is framed by nobody; pictures come straight
# from each service's own address, which only the composition API knows, hence any http(s).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' http: https:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


@dataclass(frozen=True)
class Panel:
    """One service's panel: the layer it offers and how the page names it."""

    service: str
    layer: str
    title: str
    framework: str
    step: int
    address: str | None


def lab_panels() -> list[Panel]:
    """The three panels in assembly order; addresses not known here are filled in by the page."""
    return [
        Panel(
            service="bodies",
            layer="body",
            title="Body",
            framework="Django",
            step=1,
            address=settings.PUBLIC_URL,
        ),
        Panel(
            service="frostings",
            layer="frosting",
            title="Frosting",
            framework="Flask",
            step=2,
            address=getattr(settings, "FROSTINGS_URL", None),
        ),
        Panel(
            service="toppings",
            layer="topping",
            title="Topping",
            framework="Pyramid",
            step=3,
            address=getattr(settings, "TOPPINGS_URL", None),
        ),
    ]


# Every module the entry module imports, announced early so the browser fetches them in parallel.
PAGE_MODULES = [
    f"assembler/{name}.js"
    for name in ("dom", "choices", "live", "panels", "cupcake", "wire", "bake", "gallery")
]


def lab_config() -> dict[str, object]:
    """What the page's modules need to know, handed over as a JSON data block."""
    return {
        "composeUrl": "/api/v1/cupcake",
        "cupcakesUrl": "/api/v1/cupcakes",
        "pollMs": 2000,
        "requestTimeoutMs": 8000,
        "galleryPageSize": 9,
    }


@require_safe
def lab_page(request: HttpRequest) -> HttpResponse:
    """Render the lab page; everything on it is then driven by the composition API."""
    response = render(
        request,
        "assembler/lab.html",
        {"panels": lab_panels(), "lab_config": lab_config(), "modules": PAGE_MODULES},
    )
    response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response["Cache-Control"] = "no-cache"
    return response
