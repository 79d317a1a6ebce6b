"""SVG pictures of frostings: one transparent 200×200 layer of the stacked cupcake.

Only the validated ``#rrggbb`` colour of a frosting reaches the SVG (the slug merely
selects a bespoke drawing), so no user text ever needs escaping here.
"""

from __future__ import annotations

from frostings.images.palette import palette_for
from frostings.images.seeded import SEEDED
from frostings.images.swirl import svg_document, swirl, swirl_defs

SVG_MIMETYPE = "image/svg+xml"


def frosting_svg(*, slug: str, color: str) -> str:
    """The picture of frosting ``slug``: its own drawing if seeded, else a swirl of ``color``."""
    palette = palette_for(color)
    drawing = SEEDED.get(slug)
    if drawing is None:
        return svg_document(defs=swirl_defs(palette), body=swirl(palette))
    defs, body = drawing(palette)
    return svg_document(defs=defs, body=body)
