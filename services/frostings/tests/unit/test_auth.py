"""The admin bearer token: constant-time check, 401 with a challenge, 403 when unset."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from apiflask import APIFlask

from cupcake_chassis.problems import PROBLEM_MEDIA_TYPE
from frostings.auth import auth, writes_enabled_check
from frostings.error_handlers import error_handlers_init


@pytest.fixture
def make_app() -> Callable[[str | None], APIFlask]:
    """Build a tiny app with one route protected by the admin token."""

    def make(token: str | None) -> APIFlask:
        app = APIFlask(__name__)
        app.config["CUPCAKE_ADMIN_TOKEN"] = token
        error_handlers_init(app)
        app.before_request(writes_enabled_check)

        @app.post("/write")
        @app.auth_required(auth)
        def write() -> dict[str, bool]:
            return {"written": True}

        return app

    return make


@pytest.mark.parametrize(
    "authorization", [None, "Bearer wrong", "Basic czNjcmV0", "Bearer", "s3cret"]
)
def test_missing_or_wrong_token_is_401_with_a_bearer_challenge(
    make_app: Callable[[str | None], APIFlask], authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = make_app("s3cret").test_client().post("/write", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.mimetype == PROBLEM_MEDIA_TYPE
    assert response.get_json()["status"] == 401


def test_the_right_token_passes(make_app: Callable[[str | None], APIFlask]) -> None:
    response = (
        make_app("s3cret").test_client().post("/write", headers={"Authorization": "Bearer s3cret"})
    )
    assert response.status_code == 200
    assert response.get_json() == {"written": True}


@pytest.mark.parametrize("token", [None, ""])
@pytest.mark.parametrize("authorization", [None, "Bearer anything"])
def test_writes_are_forbidden_when_no_token_is_configured(
    make_app: Callable[[str | None], APIFlask], token: str | None, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = make_app(token).test_client().post("/write", headers=headers)
    assert response.status_code == 403
    assert response.mimetype == PROBLEM_MEDIA_TYPE
    assert "no admin token" in response.get_json()["detail"]
