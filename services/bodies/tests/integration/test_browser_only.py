"""The browser's middleware (sessions, CSRF, sign-in, messages, static files) runs for the
admin and the static files, and is skipped by the API, the probes and the lab page."""

import pytest
from django.core.management import call_command
from django.test import Client

from bodies.core.browser_only import is_api_path
from fakes import FakePeers
from integration.helpers import problem_of

pytestmark = pytest.mark.integration

LOGIN = "/admin/login/"
PASSWORD = "cupcakes-are-great"


@pytest.fixture
def csrf_client(database: None, admin_token: str, monkeypatch: pytest.MonkeyPatch) -> Client:
    """A browser that is held to CSRF, as a real one is; a superuser ``baker`` exists."""
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command(
        "createsuperuser", interactive=False, username="baker", email="b@example.com", verbosity=0
    )
    return Client(enforce_csrf_checks=True)


@pytest.mark.parametrize(
    ("path", "api"),
    [
        ("/api/v1/bodies", True),
        ("/api/v1/cupcake", True),
        ("/healthz", True),
        ("/readyz", True),
        ("/", True),
        ("/admin/", False),
        ("/static/admin/css/base.css", False),
        ("/apis", False),
        ("/nothing-here", False),
    ],
)
def test_only_the_api_and_the_lab_page_skip_the_browser_chain(path: str, api: bool) -> None:
    assert is_api_path(path) is api


def test_the_admin_refuses_a_sign_in_without_its_csrf_token(csrf_client: Client) -> None:
    response = csrf_client.post(LOGIN, {"username": "baker", "password": PASSWORD})

    problem_of(response, 403)
    assert "sessionid" not in response.cookies


def test_the_admin_signs_in_with_the_token_of_its_form(csrf_client: Client) -> None:
    form = csrf_client.get(LOGIN)
    token = form.cookies["csrftoken"].value

    response = csrf_client.post(
        LOGIN,
        {"username": "baker", "password": PASSWORD, "csrfmiddlewaretoken": token},
    )

    assert response.status_code == 302
    assert csrf_client.get("/admin/").status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/bodies", "/healthz", "/"])
def test_an_api_answer_has_no_session_and_its_length(
    csrf_client: Client, fake_peers: FakePeers, path: str
) -> None:
    csrf_client.cookies["sessionid"] = "not-a-session"

    response = csrf_client.get(path)

    assert response.status_code == 200
    assert "Cookie" not in response.get("Vary", "")
    assert response.cookies == {}
    assert response["Content-Length"] == str(len(response.content))


def test_a_write_to_the_api_needs_no_csrf_token(csrf_client: Client, admin_token: str) -> None:
    response = csrf_client.post(
        "/api/v1/bodies",
        {"slug": "lemon", "name": "Lemon", "description": "Zesty.", "color": "#f7e36b"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {admin_token}"},
    )

    assert response.status_code == 201
