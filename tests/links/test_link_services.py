"""The share-link services and the link policy at the domain level (pages are tested over
HTTP in the other modules); these are what the API calls too."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from cartshare.access.policies import ensure_can_use_link, link_access_level
from cartshare.carts.models import Cart, CartStatus
from cartshare.common.errors import (
    Conflict,
    InvalidInput,
    LoginRequired,
    NotFound,
    PermissionDenied,
)
from cartshare.sharing.link_services import share_link_get_or_create, share_links_for_cart
from cartshare.sharing.link_visits import share_link_accept, share_link_resolve
from cartshare.sharing.models import AccessLevel, CartShare, ShareLink
from cartshare.sharing.tokens import share_link_url
from tests.factories import CartShareFactory
from tests.world import BASE_URL

pytestmark = pytest.mark.django_db


def test_get_or_create_returns_the_current_link_and_says_whether_it_created_it(world):
    first, url, created = share_link_get_or_create(
        cart=world.office_supplies,
        actor=world.alice,
        share_option="PREVIEW",
        base_url=BASE_URL + "/",
    )
    again, url_again, created_again = share_link_get_or_create(
        cart=world.office_supplies, actor=world.alice, share_option="PREVIEW", base_url=BASE_URL
    )
    assert (created, created_again) == (True, False)
    assert first.pk == again.pk and url == url_again
    assert url.startswith("http://testserver/share/")
    assert share_link_resolve(url.rsplit("/", 1)[1]).pk == first.pk


def test_one_current_link_per_cart_and_option_is_a_database_constraint(world):
    from django.db import IntegrityError, transaction

    link, _, _ = world.share_link(world.office_supplies, "PREVIEW")
    with pytest.raises(IntegrityError), transaction.atomic():
        ShareLink.objects.create(
            cart=world.office_supplies,
            share_option="PREVIEW",
            token_hash="x" * 64,
            token_encrypted="x",
        )
    link.revoked_at = timezone.now()
    link.save()
    ShareLink.objects.create(
        cart=world.office_supplies, share_option="PREVIEW", token_hash="y" * 64, token_encrypted="y"
    )


@pytest.mark.parametrize(
    ("person", "error"),
    [("bob", PermissionDenied), ("carol", NotFound), ("erin", NotFound)],
)
def test_only_the_owner_creates_links(world, person, error):
    CartShareFactory(
        cart=world.office_supplies, company_user=world.bob.company_user, permission="FULL_ACCESS"
    )
    with pytest.raises(error):
        world.share_link(world.office_supplies, "PREVIEW", actor=world.user(person))
    assert not ShareLink.objects.exists()


def test_an_ordered_cart_gets_no_new_links(world):
    Cart.objects.filter(pk=world.office_supplies.pk).update(status=CartStatus.ORDERED)
    world.office_supplies.refresh_from_db()
    with pytest.raises(Conflict):
        world.share_link(world.office_supplies, "PREVIEW")
    assert not ShareLink.objects.exists()


@pytest.mark.parametrize("option", ["READ_ONLY", "FULL_ACCESS"])
def test_b2c_owners_get_preview_links_only(world, option):
    cart = Cart.objects.get(owner=world.erin)
    with pytest.raises(InvalidInput):
        world.share_link(cart, option, actor=world.erin)
    world.share_link(cart, "PREVIEW", actor=world.erin)


@pytest.mark.parametrize(
    "expires_at",
    [datetime(2030, 1, 1), timezone.now() - timedelta(seconds=1)],
)
def test_a_naive_or_past_expiry_is_refused(world, expires_at):
    with pytest.raises(InvalidInput):
        world.share_link(world.office_supplies, "PREVIEW", expires_at=expires_at)
    assert not ShareLink.objects.exists()


def test_a_dedicated_link_key_encrypts_the_tokens(world, settings):
    settings.CARTSHARE_LINK_KEY = "a dedicated key for share links"
    link, url, token = world.share_link(world.office_supplies, "PREVIEW")
    assert share_link_url(link, BASE_URL) == url
    settings.CARTSHARE_LINK_KEY = ""
    assert share_link_url(link, BASE_URL) is None  # cannot be copied again...
    assert share_link_resolve(token).pk == link.pk  # ...but still works for whoever has it


def test_secret_key_fallbacks_still_decrypt_links_after_a_key_rotation(world, settings):
    link, url, _ = world.share_link(world.office_supplies, "PREVIEW")
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a brand new secret key for the shop, rotated today"
    assert share_link_url(link, BASE_URL) == url


def test_the_link_list_includes_revoked_links_for_the_owner_only(world):
    from cartshare.sharing.link_services import share_link_revoke

    link, _, _ = world.share_link(world.office_supplies, "PREVIEW")
    share_link_revoke(link=link, actor=world.alice)
    world.share_link(world.office_supplies, "PREVIEW")
    assert len(share_links_for_cart(cart=world.office_supplies, actor=world.alice)) == 2
    with pytest.raises(NotFound):
        share_links_for_cart(cart=world.office_supplies, actor=world.carol)


def test_link_access_matrix(world):
    preview, _, _ = world.share_link(world.office_supplies, "PREVIEW")
    full, _, _ = world.share_link(world.office_supplies, "FULL_ACCESS")
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    expected = {
        "anonymous": (AccessLevel.PREVIEW, None),
        "alice": (AccessLevel.PREVIEW, AccessLevel.OWNER),
        "bob": (AccessLevel.PREVIEW, AccessLevel.FULL_ACCESS),
        "carol": (AccessLevel.PREVIEW, None),
        "dave": (AccessLevel.PREVIEW, None),
        "erin": (AccessLevel.PREVIEW, None),
    }
    for name, (for_preview, for_full) in expected.items():
        person = anonymous if name == "anonymous" else world.user(name)
        assert link_access_level(person, preview) == for_preview, name
        assert link_access_level(person, full) == for_full, name
    with pytest.raises(LoginRequired):
        ensure_can_use_link(anonymous, full)
    with pytest.raises(PermissionDenied, match="colleagues in Berlin HQ"):
        ensure_can_use_link(world.dave, full)


def test_an_owner_moved_to_another_unit_takes_the_internal_links_audience_along(world):
    full, _, _ = world.share_link(world.office_supplies, "FULL_ACCESS")
    company_user = world.alice.company_user
    company_user.business_unit = world.carol.company_user.business_unit
    company_user.save()
    world.alice.refresh_from_db()
    full = share_link_resolve(share_link_url(full, BASE_URL).rsplit("/", 1)[1])
    assert link_access_level(world.bob, full) is None
    assert link_access_level(world.carol, full) == AccessLevel.FULL_ACCESS


def test_the_owner_accepting_their_own_link_only_activates_the_cart(world):
    token = world.link(world.office_supplies, "FULL_ACCESS")
    level, _ = share_link_accept(token=token, actor=world.alice)
    assert level == AccessLevel.OWNER
    assert not CartShare.objects.filter(cart=world.office_supplies).exists()
    world.alice.refresh_from_db()
    assert world.alice.active_cart_id == world.office_supplies.pk
