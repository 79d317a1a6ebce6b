"""Flask's minimal JSON view."""

from __future__ import annotations

from flask import Flask


def make_app() -> Flask:
    """One route returning JSON."""
    app = Flask(__name__)

    @app.get("/hello")
    def hello() -> dict[str, list[object]]:
        return {"items": []}

    return app
