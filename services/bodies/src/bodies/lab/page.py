"""The lab page at ``/``: one HTML document; its ES modules (static/) drive it through the API."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from bodies.lab.tours import tours_config


def content_security_policy(*, image_origins: Iterable[str]) -> str:
    """The page's policy: its own scripts and styles only, no inline ones, framed by nobody;
    pictures from itself and the services' origins (``PAGE_IMAGE_ORIGINS``) only."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            " ".join(["img-src 'self'", *image_origins]),
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


@dataclass(frozen=True)
class ChaosControls:
    """The ranges of the chaos drawer's sliders, and the front door's deadline they cross."""

    deadline_ms: int
    latency_max_ms: int = 3000
    latency_step_ms: int = 100
    error_step_percent: int = 5

    @property
    def deadline_words(self) -> str:
        """Where callers give up, as the latency scale says it."""
        return f"{seconds_words(self.deadline_ms)} deadline"

    @property
    def latency_max_words(self) -> str:
        """The right end of the latency scale."""
        return seconds_words(self.latency_max_ms)


def seconds_words(ms: int) -> str:
    """Milliseconds as the page says them: ``1 s``, ``1.5 s``, ``250 ms``."""
    return f"{ms / 1000:g} s" if ms >= 1000 else f"{ms} ms"


def chaos_controls() -> ChaosControls:
    """The drawer's controls for this lab: the deadline mark comes from REQUEST_DEADLINE."""
    return ChaosControls(deadline_ms=round(float(settings.REQUEST_DEADLINE) * 1000))


# Every module the entry module imports, announced early so the browser fetches them in parallel.
PAGE_MODULES = [
    f"lab/{name}.js"
    for name in (
        "dom",
        "choices",
        "live",
        "panels",
        "cupcake",
        "wire",
        "bake",
        "gallery",
        "chaos-section",
        "chaos",
        "trace",
        "tours",
    )
]


def lab_config(chaos: ChaosControls) -> dict[str, object]:
    """What the page's modules need to know, handed over as a JSON data block."""
    return {
        "composeUrl": "/api/v1/cupcake",
        "cupcakesUrl": "/api/v1/cupcakes",
        "tracesUrl": "/api/v1/traces",
        "pollMs": 2000,
        "requestTimeoutMs": 8000,
        "galleryPageSize": 9,
        # The chaos drawer shows itself only when this answers 200; a lab run without chaos
        # is not even asked (the page would only get a 404).
        "chaosUrl": "/api/v1/lab/chaos" if settings.CUPCAKE_CHAOS else None,
        "chaosDebounceMs": 250,
        "chaosPollMs": 3000,
        "deadlineMs": chaos.deadline_ms,
        "latencyMaxMs": chaos.latency_max_ms,
        "tours": tours_config(),
    }


@require_safe
def lab_page(request: HttpRequest) -> HttpResponse:
    """Render the lab page; everything on it is then driven by the composition API."""
    chaos = chaos_controls()
    response = render(
        request,
        "lab/lab.html",
        {
            "panels": lab_panels(),
            "lab_config": lab_config(chaos),
            "modules": PAGE_MODULES,
            "chaos": chaos,
        },
    )
    response["Content-Security-Policy"] = content_security_policy(
        image_origins=settings.PAGE_IMAGE_ORIGINS
    )
    response["Cache-Control"] = "no-cache"
    return response
