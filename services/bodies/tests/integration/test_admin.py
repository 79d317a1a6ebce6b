"""The Django admin at /admin/: its static files, bodies edited by the API's rules, cupcakes;
off while no admin token is configured."""

import pytest
from django.core.management import call_command
from django.test import Client
from pytest_django import Settings

from fakes import FakePeers
from integration.helpers import CUPCAKE, bake, catalogue_rows, problem_of, stored_counts

pytestmark = pytest.mark.integration

CHANGE_LIST = "/admin/catalogue/body/"


@pytest.fixture(autouse=True)
def admin_enabled(admin_token: str) -> None:
    """The admin is on: an admin token is configured."""


@pytest.mark.parametrize("token", [None, ""])
def test_without_an_admin_token_the_admin_is_off(
    admin_client: Client, settings: Settings, token: str | None
) -> None:
    settings.CUPCAKE_ADMIN_TOKEN = token

    for path in ("/admin/", "/admin/login/", CHANGE_LIST):
        problem = problem_of(admin_client.get(path), 403)
        assert "no admin token" in problem["detail"]
    problem_of(admin_client.post(f"{CHANGE_LIST}add/", {"slug": "lemon"}), 403)
    assert "lemon" not in [row[0] for row in catalogue_rows()]


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


def test_a_superuser_sees_the_baked_cupcakes_with_their_layers(
    admin_client: Client, fake_peers: FakePeers
) -> None:
    cupcake = bake(admin_client, {**CUPCAKE, "name": "Pink <b>Dream</b>"}).json()

    page = admin_client.get("/admin/assembler/cupcake/")

    assert page.status_code == 200
    assert b"Pink &lt;b&gt;Dream&lt;/b&gt;" in page.content
    for layer in ("body", "frosting", "topping"):
        assert cupcake[layer]["image_url"].encode() in page.content


def test_the_cupcakes_are_filtered_by_a_part(admin_client: Client, fake_peers: FakePeers) -> None:
    bake(admin_client, {**CUPCAKE, "name": "Cherry one"})
    bake(admin_client, {**CUPCAKE, "name": "Flag one", "topping": "flag"})

    page = admin_client.get("/admin/assembler/cupcake/", {"topping_slug": "flag"})

    assert page.status_code == 200
    assert b"Flag one" in page.content and b"Cherry one" not in page.content


@pytest.mark.parametrize("value", ["a\x00b", "Flag", "x" * 41])
def test_a_filter_by_what_is_no_slug_goes_back_to_the_list(
    admin_client: Client, fake_peers: FakePeers, value: str
) -> None:
    bake(admin_client)

    page = admin_client.get("/admin/assembler/cupcake/", {"topping_slug": value})

    assert page.status_code == 302
    assert page["Location"].endswith("?e=1")


def test_cupcakes_are_not_added_or_changed_in_the_admin(
    admin_client: Client, fake_peers: FakePeers
) -> None:
    cupcake_id = bake(admin_client).json()["id"]
    before = stored_counts()

    added = admin_client.post("/admin/assembler/cupcake/add/", {"name": "Sneaky"})
    changed = admin_client.post(f"/admin/assembler/cupcake/{cupcake_id}/change/", {"name": "X"})

    assert added.status_code == 403
    assert changed.status_code == 403
    assert stored_counts() == before
    assert admin_client.get(f"/admin/assembler/cupcake/{cupcake_id}/change/").status_code == 200
