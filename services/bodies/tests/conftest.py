"""Fixtures shared by unit and integration tests."""

import pytest
from pytest_django import Settings

ADMIN_TOKEN = "test-admin-token"


@pytest.fixture
def admin_token(settings: Settings) -> str:
    """Configure the admin token for this test and return it."""
    settings.CUPCAKE_ADMIN_TOKEN = ADMIN_TOKEN
    return ADMIN_TOKEN


@pytest.fixture
def auth(admin_token: str) -> dict[str, str]:
    """Request headers that carry the admin bearer token."""
    return {"Authorization": f"Bearer {admin_token}"}
