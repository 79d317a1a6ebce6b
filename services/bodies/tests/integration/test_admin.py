"""The Django admin at /admin/: served with its static files, editing bodies by the same rules."""

import pytest
from django.core.management import call_command
from django.test import Client

from integration.helpers import catalogue_rows

pytestmark = pytest.mark.integration

CHANGE_LIST = "/admin/catalogue/body/"


@pytest.fixture
def admin_client(client: Client, monkeypatch: pytest.MonkeyPatch) -> Client:
    """A client logged in as a superuser made by ``createsuperuser``."""
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "cupcakes-are-great")
    call_command(
        "createsuperuser", interactive=False, username="baker", email="b@example.com", verbosity=0
    )
    assert client.login(username="baker", password="cupcakes-are-great")
    return client


def test_the_admin_login_page_is_served_with_its_stylesheet(client: Client) -> None:
    page = client.get("/admin/login/")
    stylesheet = client.get("/static/admin/css/base.css")
    stylesheet.close()  # WhiteNoise answers with an open file

    assert page.status_code == 200
    assert b"/static/admin/css/base.css" in page.content
    assert stylesheet.status_code == 200
    assert stylesheet["Content-Type"].startswith("text/css")


def test_a_superuser_sees_the_bodies_with_their_pictures(admin_client: Client) -> None:
    page = admin_client.get(CHANGE_LIST)

    assert page.status_code == 200
    for slug in ("vanilla", "chocolate", "carrot-cake"):
        assert f"/api/v1/bodies/{slug}/image.svg".encode() in page.content


def test_the_admin_adds_a_body_with_its_colour_in_lower_case(admin_client: Client) -> None:
    response = admin_client.post(
        f"{CHANGE_LIST}add/",
        {"slug": "lemon", "name": "Lemon", "description": "Zesty.", "color": "#F7E36B"},
    )

    assert response.status_code == 302
    assert ("lemon", "Lemon", "Zesty.", "#f7e36b") in catalogue_rows()


def test_the_admin_refuses_what_the_api_refuses(admin_client: Client) -> None:
    before = catalogue_rows()

    response = admin_client.post(
        f"{CHANGE_LIST}add/",
        {"slug": "Lemon Tart", "name": "Lemon\x07", "description": "", "color": "yellow"},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors.keys() == {"slug", "name", "color"}
    assert catalogue_rows() == before


def test_the_admin_keeps_a_slug_once_the_body_exists(admin_client: Client) -> None:
    from bodies.catalogue.models import Body

    vanilla = Body.objects.get(slug="vanilla")

    response = admin_client.post(
        f"{CHANGE_LIST}{vanilla.pk}/change/",
        {"slug": "renamed", "name": "Vanilla", "description": "Plain.", "color": "#f3d9a4"},
    )

    assert response.status_code == 302
    assert Body.objects.get(pk=vanilla.pk).slug == "vanilla"
