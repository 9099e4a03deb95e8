"""Staff find share links in the back office by cart, owner, option and state, see a cart's
grants and links on its page, and revoke links (issue 14, part 5). Who may revoke is the
policy's (`can_revoke_links_in_back_office`)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from cartshare.activity.models import CartActivity
from cartshare.activity.services import Verb
from cartshare.common.errors import PermissionDenied
from cartshare.sharing.link_services import share_links_revoke_in_back_office
from cartshare.sharing.models import LinkState, ShareLink
from tests.api.client import ApiClient
from tests.factories.accounts import StaffFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:sharing_sharelink_changelist"


@pytest.fixture
def links(world):
    """One link in each state: working, expired, revoked, and of a deleted cart."""
    working = world.share_link(world.trade_fair, "PREVIEW")
    expired = world.share_link(world.trade_fair, "READ_ONLY")
    ShareLink.objects.filter(pk=expired.link.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    revoked = world.share_link(world.office_supplies, "PREVIEW")
    ShareLink.objects.filter(pk=revoked.link.pk).update(revoked_at=timezone.now())
    orphan = world.share_link(world.office_supplies, "FULL_ACCESS")
    ShareLink.objects.filter(pk=orphan.link.pk).update(cart=None)
    return {
        LinkState.WORKING: working,
        LinkState.EXPIRED: expired,
        LinkState.REVOKED: revoked,
        LinkState.CART_DELETED: orphan,
    }


@pytest.mark.parametrize("state", list(LinkState))
def test_the_state_of_a_link_and_the_links_in_a_state_agree(links, state):
    assert [link.pk for link in ShareLink.objects.in_state(state)] == [links[state].link.pk]
    for link in ShareLink.objects.all():
        assert (link.state() == state) == (link.pk == links[state].link.pk)


@pytest.mark.parametrize("state", list(LinkState))
def test_staff_filter_the_links_by_state(world, links, state):
    client = world.logged_in_client(world.admin)
    response = client.get(reverse(CHANGELIST), {"state": state.value})
    assert response.status_code == 200
    shown = [link.pk for link in response.context["cl"].result_list]
    assert shown == [links[state].link.pk]


def test_staff_find_a_cart_s_links_by_the_owner_s_email_and_the_option(world, links):
    client = world.logged_in_client(world.admin)
    response = client.get(
        reverse(CHANGELIST), {"q": world.alice.email, "share_option__exact": "PREVIEW"}
    )
    assert response.status_code == 200
    shown = {link.pk for link in response.context["cl"].result_list}
    assert shown == {links[LinkState.WORKING].link.pk, links[LinkState.REVOKED].link.pk}
    assert "Working" in response.content.decode()


def test_staff_revoke_a_link_and_it_stops_working_at_once(world, links):
    working = links[LinkState.WORKING]
    assert ApiClient().get(f"/shared/{working.token}").status_code == 200
    client = world.logged_in_client(world.admin)
    response = client.post(
        reverse(CHANGELIST),
        {"action": "revoke_links", "_selected_action": [working.link.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "1 link revoked" in response.content.decode()
    working.link.refresh_from_db()
    assert working.link.revoked_at is not None
    assert ApiClient().get(f"/shared/{working.token}").status_code == 410
    entry = CartActivity.objects.filter(cart=world.trade_fair, verb=Verb.LINK_REVOKED).get()
    assert entry.actor == world.admin


def test_revoking_links_revoked_already_changes_nothing(world, links):
    revoked = links[LinkState.REVOKED].link
    before = ShareLink.objects.get(pk=revoked.pk).revoked_at
    count = share_links_revoke_in_back_office(
        links=ShareLink.objects.filter(pk=revoked.pk), actor=world.admin
    )
    assert count == 0
    assert ShareLink.objects.get(pk=revoked.pk).revoked_at == before
    assert not CartActivity.objects.filter(verb=Verb.LINK_REVOKED).exists()


def test_staff_without_the_permission_cannot_revoke(world, links):
    clerk = StaffFactory(is_superuser=False)
    clerk.user_permissions.add(Permission.objects.get(codename="view_sharelink"))
    working = links[LinkState.WORKING].link
    client = world.logged_in_client(clerk)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert "revoke_links" not in response.content.decode()
    with pytest.raises(PermissionDenied):
        share_links_revoke_in_back_office(
            links=ShareLink.objects.filter(pk=working.pk), actor=clerk
        )
    for person in (world.alice, None):
        with pytest.raises(PermissionDenied):
            share_links_revoke_in_back_office(
                links=ShareLink.objects.filter(pk=working.pk), actor=person
            )
    assert ShareLink.objects.get(pk=working.pk).revoked_at is None


def test_links_are_not_added_edited_or_deleted_in_the_back_office(world, links):
    client = world.logged_in_client(world.admin)
    link = links[LinkState.WORKING].link
    assert client.get(reverse("admin:sharing_sharelink_add")).status_code == 403
    response = client.post(
        reverse("admin:sharing_sharelink_delete", args=[link.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert ShareLink.objects.filter(pk=link.pk).exists()
    page = client.get(reverse("admin:sharing_sharelink_change", args=[link.pk])).content.decode()
    assert links[LinkState.WORKING].token not in page  # nobody sees the token


def test_a_cart_s_page_shows_its_grants_and_links(world, links):
    client = world.logged_in_client(world.admin)
    response = client.get(reverse("admin:carts_cart_change", args=[world.trade_fair.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert world.bob.name in page and world.frank.name in page  # the two grants
    assert "shares-TOTAL_FORMS" in page and "share_links-TOTAL_FORMS" in page
    assert "Working" in page and "Expired" in page
