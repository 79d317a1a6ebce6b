"""Flask's minimal JSON view: a view returning the document, Flask writing it as JSON,
serving the documents the harness captured from the lab (``bench.minimal.documents``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask

from bench.minimal.documents import Served, one_style, served_documents
from bench.same_bytes import COMPACT


def view_for(served: Served) -> Callable[[], Any]:
    """A view returning ``served``'s document (Flask's JSON provider writes it)."""

    def view() -> Any:
        return served.document

    return view


def make_app() -> Flask:
    """One route per document; Flask's JSON provider set to the lab's style."""
    documents = served_documents()
    style = one_style(documents)
    app = Flask(__name__)
    # Keys in the document's own order, which is the lab's; Flask sorts them by default.
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = style.ensure_ascii  # type: ignore[attr-defined]
    app.json.compact = style.separators == COMPACT  # type: ignore[attr-defined]
    for served in documents:
        app.add_url_rule(served.path, endpoint=served.path, view_func=view_for(served))
    return app
