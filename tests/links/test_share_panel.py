"""The owner's Share panel and "Share by link" page: create, expiry, revoke, new link, through
HTTP, for the owner and everyone who must not manage links."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from cartshare.activity.models import CartActivity
from cartshare.activity.services import Verb
from cartshare.carts.models import Cart, CartStatus
from cartshare.sharing.models import ShareLink, SharePermission
from tests.factories import CartFactory, CartShareFactory
from tests.links.helpers import data_snapshot, open_url, text

pytestmark = pytest.mark.django_db


def links_page(world) -> str:
    """Where the forms post to create a link (its GET goes on to the share page)."""
    return f"/carts/{world.office_supplies.pk}/links/"


def share_page(world) -> str:
    return f"/carts/{world.office_supplies.pk}/share/"


@pytest.fixture
def owner(client, world):
    client.force_login(world.alice)
    return client


def test_the_owner_sees_a_row_per_option_with_create_buttons(world, owner):
    page = text(owner.get(share_page(world)))
    for label in (
        "Anyone with the link: preview",
        "Everyone in Berlin HQ with the link: read-only",
        "Everyone in Berlin HQ with the link: contributor",
        "Everyone in Berlin HQ with the link: full access",
    ):
        assert label in page
    assert "Times are shown in UTC" in page
    assert page.count('<select id="expires-') == 4
    for choice in ("Never", "In 1 day", "In 7 days", "In 30 days"):
        assert f">{choice}</option>" in page
    assert page.count('type="date"') == 4


def test_creating_a_link_shows_it_in_a_labelled_read_only_field_with_copy_and_qr(world, owner):
    response = owner.post(links_page(world), {"share_option": "PREVIEW", "expires": "never"})
    assert response.status_code == 302
    link = ShareLink.objects.get(cart=world.office_supplies)
    page = text(owner.get(share_page(world)))
    url = "http://testserver/share/"
    assert '<label for="share-url-preview">' in page
    assert 'id="share-url-preview" value="' + url in page
    assert "readonly" in page
    assert 'data-copy="share-url-preview" hidden>Copy' in page
    # The QR code is drawn when asked for, not on every view of the page.
    assert "<svg" not in page and f'href="/links/{link.pk}/qr.svg"' in page
    assert "Never expires" in page and "Opened 0 times" in page
    assert f'action="/links/{link.pk}/revoke/"' in page
    assert f'action="/links/{link.pk}/renew/"' in page
    assert "/static/storefront/share.js" in page
    activity = CartActivity.objects.get(cart=world.office_supplies, verb=Verb.LINK_CREATED)
    assert activity.details["share_option"] == "PREVIEW"


def test_asking_again_returns_the_same_link(world, owner):
    owner.post(links_page(world), {"share_option": "READ_ONLY"})
    owner.post(links_page(world), {"share_option": "READ_ONLY", "expires": "7"})
    assert ShareLink.objects.filter(cart=world.office_supplies).count() == 1


@pytest.mark.parametrize(("choice", "days"), [("1", 1), ("7", 7), ("30", 30)])
def test_an_expiry_in_days_is_set_from_now(world, owner, choice, days):
    owner.post(links_page(world), {"share_option": "PREVIEW", "expires": choice})
    expires_at = ShareLink.objects.get().expires_at
    assert abs(expires_at - (timezone.now() + timedelta(days=days))) < timedelta(minutes=1)


def test_an_expiry_date_keeps_the_link_valid_through_that_day(world, owner):
    day = (timezone.localdate() + timedelta(days=3)).isoformat()
    owner.post(links_page(world), {"share_option": "PREVIEW", "expires": "date", "expires_on": day})
    expires_at = timezone.localtime(ShareLink.objects.get().expires_at)
    assert expires_at.date().isoformat() > day and (expires_at.hour, expires_at.minute) == (0, 0)
    assert f'value="{day}"' in text(owner.get(share_page(world)))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"expires": "date", "expires_on": "31.12.2026"}, "Enter the expiry date as YYYY-MM-DD"),
        ({"expires": "date", "expires_on": "2001-01-01"}, "The expiry must be in the future"),
        ({"expires": "forever"}, "Choose when the link expires"),
        ({"share_option": "EVERYTHING"}, "Choose PREVIEW, READ_ONLY, CONTRIBUTOR or FULL_ACCESS"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(world, owner, fields, message):
    before = data_snapshot()
    response = owner.post(links_page(world), {"share_option": "PREVIEW", **fields}, follow=True)
    assert message in text(response)
    assert data_snapshot() == before


def test_a_b2c_owner_gets_the_preview_option_only(world, client):
    cart = Cart.objects.get(owner=world.erin)
    client.force_login(world.erin)
    page = text(client.get(f"/carts/{cart.pk}/share/"))
    assert "Create preview link" in page
    assert "Create read-only link" not in page and "Create full access link" not in page
    assert "colleague" not in page.lower()  # no dead end: nothing about colleagues at all
    response = client.post(f"/carts/{cart.pk}/links/", {"share_option": "FULL_ACCESS"}, follow=True)
    assert "you can share a preview link" in text(response)
    assert not ShareLink.objects.exists()


def test_revoke_kills_the_link_and_the_panel_offers_a_new_one(world, owner):
    link, _, token = world.share_link(world.office_supplies, "FULL_ACCESS")
    response = owner.post(f"/links/{link.pk}/revoke/", {"next": share_page(world)})
    assert response["Location"] == share_page(world)
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert "Create full access link" in text(owner.get(share_page(world)))
    assert owner.get(open_url(token)).status_code == 410


def test_new_link_replaces_the_old_one(world, owner):
    link, _, token = world.share_link(world.office_supplies, "PREVIEW")
    owner.post(f"/links/{link.pk}/renew/", {"expires": "7"})
    link.refresh_from_db()
    assert link.revoked_at is not None
    current = ShareLink.objects.get(revoked_at__isnull=True)
    assert current.pk != link.pk and current.expires_at is not None
    assert owner.get(open_url(token)).status_code == 410
    verbs = list(
        CartActivity.objects.filter(cart=world.office_supplies).values_list("verb", flat=True)
    )
    assert verbs.count(Verb.LINK_CREATED) == 2 and verbs.count(Verb.LINK_REVOKED) == 1


def test_save_expiry_changes_the_current_link(world, owner):
    link, _, _ = world.share_link(world.office_supplies, "PREVIEW")
    owner.post(f"/links/{link.pk}/expiry/", {"expires": "1"})
    link.refresh_from_db()
    assert link.expires_at is not None
    owner.post(f"/links/{link.pk}/expiry/", {"expires": "never"})
    link.refresh_from_db()
    assert link.expires_at is None


def test_the_panel_shows_how_often_and_when_a_link_was_opened(world, owner, client):
    token = world.link(world.office_supplies, "PREVIEW")
    from django.test import Client

    Client().get(open_url(token))
    Client().get(open_url(token))
    page = text(owner.get(share_page(world)))
    assert "Opened 2 times, last on" in page


def test_an_ordered_cart_keeps_revoke_but_offers_no_new_links(world, owner):
    link, _, _ = world.share_link(world.office_supplies, "PREVIEW")
    Cart.objects.filter(pk=world.office_supplies.pk).update(status=CartStatus.ORDERED)
    page = text(owner.get(share_page(world)))
    assert "This cart has been ordered" in page
    assert "Create read-only link" not in page and "New link" not in page
    response = owner.post(links_page(world), {"share_option": "READ_ONLY"}, follow=True)
    assert "ordered" in text(response)
    assert ShareLink.objects.count() == 1
    owner.post(f"/links/{link.pk}/revoke/")
    link.refresh_from_db()
    assert link.revoked_at is not None


# Everyone else


def test_a_grantee_with_full_access_cannot_manage_links(world, client):
    CartShareFactory(
        cart=world.office_supplies,
        company_user=world.bob.company_user,
        permission=SharePermission.FULL_ACCESS,
    )
    link, _, _ = world.share_link(world.office_supplies, "PREVIEW")
    client.force_login(world.bob)
    before = data_snapshot()
    assert client.get(links_page(world)).status_code == 403
    assert "Create preview link" not in text(client.get(share_page(world)))
    assert client.post(links_page(world), {"share_option": "READ_ONLY"}).status_code == 403
    assert client.post(f"/links/{link.pk}/revoke/").status_code == 403
    assert client.post(f"/links/{link.pk}/renew/").status_code == 403
    assert client.post(f"/links/{link.pk}/expiry/", {"expires": "1"}).status_code == 403
    assert data_snapshot() == before


@pytest.mark.parametrize("person", ["carol", "dave", "erin"])
def test_strangers_get_404_for_the_links_of_a_cart_they_cannot_see(world, client, person):
    link, _, _ = world.share_link(world.office_supplies, "PREVIEW")
    client.force_login(world.user(person))
    before = data_snapshot()
    assert client.get(links_page(world)).status_code == 404
    assert client.post(links_page(world), {"share_option": "PREVIEW"}).status_code == 404
    assert client.post(f"/links/{link.pk}/revoke/").status_code == 404
    assert client.post(f"/links/{link.pk}/renew/").status_code == 404
    assert client.post("/links/999999/revoke/").status_code == 404
    assert data_snapshot() == before


def test_the_links_pages_need_a_login(world, client):
    link, _, _ = world.share_link(world.office_supplies, "PREVIEW")
    assert client.get(links_page(world))["Location"].startswith("/login/?next=")
    assert client.post(f"/links/{link.pk}/revoke/")["Location"].startswith("/login/?next=")
    link.refresh_from_db()
    assert link.revoked_at is None


def test_the_share_panel_tag_renders_nothing_for_anyone_but_the_owner(world):
    CartShareFactory(
        cart=world.office_supplies,
        company_user=world.bob.company_user,
        permission=SharePermission.FULL_ACCESS,
    )
    template = Template("{% load sharing_links %}{% share_panel cart %}")
    for person, expected in ((world.alice, True), (world.bob, False), (world.carol, False)):
        request = RequestFactory().get(f"/carts/{world.office_supplies.pk}/")
        request.user = person
        html = template.render(Context({"request": request, "cart": world.office_supplies}))
        assert ("Anyone with the link: preview" in html) is expected


def test_the_panel_query_count_does_not_grow_with_links(
    world, owner, django_assert_max_num_queries
):
    for option in ("PREVIEW", "READ_ONLY", "FULL_ACCESS"):
        world.share_link(world.office_supplies, option)
    for _ in range(3):
        CartFactory(owner=world.alice)
    # The whole share dialog: people, links, the links revoked seconds ago (Undo), history,
    # and the live "Last change" line (one query, live.js's) above it.
    with django_assert_max_num_queries(16):
        owner.get(share_page(world))
