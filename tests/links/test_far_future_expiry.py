"""An expiry is in the future and at most one year ahead. Year 9999 (API) or 9999-12-31 (the
page's date) is refused with a clear 422 naming `expires_at` / a message on the page, never a
500, and nothing changes. With the database cache table, as production runs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from cartshare.accounts.models import AccessToken
from cartshare.sharing.models import ShareLink, ShareLinkStats
from tests.api.client import assert_problem, client_for
from tests.links.helpers import table_snapshot

pytestmark = pytest.mark.django_db


def data_snapshot() -> dict:
    """The shop's data, less what a request itself writes: sessions and the token's last use."""
    return table_snapshot(exclude=(ShareLinkStats, Session, AccessToken))


FAR_FUTURE = ["9999-12-31T23:59:59Z", "9999-12-31T23:59:59-05:00", "9999-12-31T23:59:59+14:00"]


@pytest.fixture
def owner_client(world, database_cache):
    client = Client()
    client.force_login(world.alice)
    return client


@pytest.mark.parametrize("expires_at", FAR_FUTURE)
def test_the_api_refuses_an_expiry_in_year_9999_with_422(world, database_cache, expires_at):
    api = client_for(world.alice)
    before = data_snapshot()
    response = api.post(
        f"/carts/{world.office_supplies.pk}/share-links",
        {"share_option": "PREVIEW", "expires_at": expires_at},
    )
    problem = assert_problem(response, 422)
    assert "at most one year ahead" in problem["errors"]["expires_at"][0]
    assert data_snapshot() == before


def test_the_api_refuses_an_expiry_a_year_and_two_days_ahead(world, database_cache):
    later = (timezone.now() + timedelta(days=367)).isoformat()
    response = client_for(world.alice).post(
        f"/carts/{world.office_supplies.pk}/share-links",
        {"share_option": "PREVIEW", "expires_at": later},
    )
    assert "expires_at" in assert_problem(response, 422)["errors"]
    assert not ShareLink.objects.exists()


def test_the_api_accepts_an_expiry_364_days_ahead(world, database_cache):
    later = timezone.now() + timedelta(days=364)
    response = client_for(world.alice).post(
        f"/carts/{world.office_supplies.pk}/share-links",
        {"share_option": "PREVIEW", "expires_at": later.isoformat()},
    )
    assert response.status_code == 201, response.content
    assert ShareLink.objects.get().expires_at == later


def follow_message(client, response) -> str:
    assert response.status_code == 302
    return client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("day", ["9999-12-31", "3000-01-01"])
def test_the_page_refuses_a_far_future_date_with_a_message(world, owner_client, day):
    before = data_snapshot()
    response = owner_client.post(
        f"/carts/{world.office_supplies.pk}/links/",
        {"share_option": "PREVIEW", "expires": "date", "expires_on": day},
    )
    assert "at most one year ahead" in follow_message(owner_client, response)
    assert data_snapshot() == before


def test_setting_or_renewing_with_a_far_future_date_changes_nothing(world, owner_client):
    link, _, _ = world.share_link(world.office_supplies, "PREVIEW")
    before = data_snapshot()
    form = {"expires": "date", "expires_on": "9999-12-31"}
    for action in ("expiry", "renew"):
        response = owner_client.post(f"/links/{link.pk}/{action}/", form)
        assert "at most one year ahead" in follow_message(owner_client, response)
    assert data_snapshot() == before


def test_the_page_accepts_the_same_date_next_year_and_offers_it_as_the_latest(world, owner_client):
    latest = (timezone.localdate() + timedelta(days=365)).isoformat()
    page = owner_client.get(f"/carts/{world.office_supplies.pk}/share/").content.decode()
    assert f'max="{latest}"' in page
    response = owner_client.post(
        f"/carts/{world.office_supplies.pk}/links/",
        {"share_option": "PREVIEW", "expires": "date", "expires_on": latest},
    )
    assert response.status_code == 302
    assert timezone.localdate(ShareLink.objects.get().expires_at).isoformat() > latest
