"""Pyramid's minimal JSON view: a view returning the document, the json renderer writing
it, serving the documents the harness captured from the lab (``bench.minimal.documents``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pyramid.config import Configurator
from pyramid.renderers import JSON

from bench.minimal.documents import Served, one_style, served_documents


def view_for(served: Served) -> Callable[[Any], Any]:
    """A view returning ``served``'s document (the json renderer writes it)."""

    def view(request: Any) -> Any:
        return served.document

    return view


def make_app() -> Any:
    """One route and view per document; the json renderer set to the lab's style."""
    documents = served_documents()
    style = one_style(documents)
    with Configurator() as config:
        config.add_renderer(
            "json", JSON(separators=style.separators, ensure_ascii=style.ensure_ascii)
        )
        for served in documents:
            config.add_route(served.path, served.path)
            config.add_view(view_for(served), route_name=served.path, renderer="json")
    return config.make_wsgi_app()
