"""Grant services: save-all on the share page, single grants for the API, dismiss, activity."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cartshare.activity.models import CartActivity
from cartshare.activity.services import Verb
from cartshare.carts.models import Cart, CartStatus
from cartshare.common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from cartshare.sharing.models import CartShare, SharePermission
from cartshare.sharing.selectors import (
    cart_share_get_for,
    cart_shares_list,
    colleagues_for_sharing,
)
from cartshare.sharing.services import (
    cart_share_create,
    cart_share_delete,
    cart_share_dismiss,
    cart_share_remove,
    cart_share_update,
    cart_shares_set,
)
from tests.factories import CartFactory, CompanyUserFactory, CustomerFactory
from tests.snapshots import snapshot

pytestmark = pytest.mark.django_db

READ_ONLY, FULL_ACCESS = SharePermission.READ_ONLY, SharePermission.FULL_ACCESS


def permission_of(world, caller):
    return (
        CartShare.objects.filter(cart=world.trade_fair, company_user__customer=world.caller(caller))
        .values_list("permission", flat=True)
        .first()
    )


# cart_shares_set: the share page's "save all"


def test_saving_the_share_page_applies_every_change_and_says_what_changed(world):
    summary = cart_shares_set(
        cart=world.trade_fair,
        actor=world.alice,
        permissions={
            world.company_user("read_only").pk: FULL_ACCESS,
            world.company_user("full_access").pk: None,
            world.company_user("colleague").pk: "READ_ONLY",
        },
    )
    assert summary.lines == [
        "Bob Brandt: full access → no access",
        "Frank Fischer: read-only → full access",
        "Greta Gruber: no access → read-only",
    ]
    assert permission_of(world, "read_only") == FULL_ACCESS
    assert permission_of(world, "full_access") is None
    assert permission_of(world, "colleague") == READ_ONLY


def test_saving_unchanged_levels_changes_and_records_nothing(world):
    before = snapshot()
    summary = cart_shares_set(
        cart=world.trade_fair,
        actor=world.alice,
        permissions={
            world.company_user("read_only").pk: "READ_ONLY",
            world.company_user("colleague").pk: "NONE",
        },
    )
    assert not summary
    assert snapshot() == before


def test_each_grant_change_is_recorded_with_the_grantee_and_both_levels(world):
    cart_shares_set(
        cart=world.trade_fair,
        actor=world.alice,
        permissions={
            world.company_user("read_only").pk: FULL_ACCESS,
            world.company_user("full_access").pk: None,
            world.company_user("colleague").pk: READ_ONLY,
        },
    )
    recorded = {
        activity.verb: activity.details
        for activity in CartActivity.objects.filter(cart=world.trade_fair, actor=world.alice)
    }
    assert recorded[Verb.SHARE_CHANGED] == {
        "grantee": "Frank Fischer",
        "company_user_id": world.company_user("read_only").pk,
        "old": "READ_ONLY",
        "new": "FULL_ACCESS",
    }
    assert recorded[Verb.UNSHARED]["grantee"] == "Bob Brandt"
    assert recorded[Verb.UNSHARED]["old"] == "FULL_ACCESS"
    assert recorded[Verb.UNSHARED]["new"] is None
    assert recorded[Verb.SHARED]["grantee"] == "Greta Gruber"
    assert recorded[Verb.SHARED]["new"] == "READ_ONLY"


@pytest.mark.parametrize("outsider", ["other_unit", "other_company", "b2c", "owner"])
def test_a_batch_with_one_invalid_person_changes_nothing(world, outsider):
    before = snapshot()
    outsider_id = (
        world.company_user(outsider).pk
        if outsider != "b2c"
        else 10_000  # B2C customers have no company user id at all
    )
    with pytest.raises(InvalidInput):
        cart_shares_set(
            cart=world.trade_fair,
            actor=world.alice,
            permissions={
                world.company_user("colleague").pk: FULL_ACCESS,
                world.company_user("read_only").pk: None,
                outsider_id: READ_ONLY,
            },
        )
    assert snapshot() == before


def test_a_batch_with_an_unknown_level_changes_nothing(world):
    before = snapshot()
    with pytest.raises(InvalidInput):
        cart_shares_set(
            cart=world.trade_fair,
            actor=world.alice,
            permissions={
                world.company_user("colleague").pk: FULL_ACCESS,
                world.company_user("read_only").pk: "OWNER",
            },
        )
    assert snapshot() == before


def test_a_deactivated_colleague_cannot_be_given_access(world):
    colleague = world.company_user("colleague")
    colleague.is_active = False
    colleague.save()
    before = snapshot()
    with pytest.raises(InvalidInput, match="active colleagues"):
        cart_shares_set(
            cart=world.trade_fair, actor=world.alice, permissions={colleague.pk: READ_ONLY}
        )
    assert snapshot() == before


def test_sharing_with_yourself_is_refused_with_a_clear_message(world):
    with pytest.raises(InvalidInput, match="yourself"):
        cart_shares_set(
            cart=world.trade_fair,
            actor=world.alice,
            permissions={world.company_user("owner").pk: READ_ONLY},
        )


@pytest.mark.parametrize(
    ("caller", "error"),
    [
        ("read_only", PermissionDenied),
        ("full_access", PermissionDenied),
        ("colleague", NotFound),
        ("other_unit", NotFound),
        ("other_company", NotFound),
        ("b2c", NotFound),
    ],
)
def test_only_the_owner_saves_the_share_page(world, caller, error):
    before = snapshot()
    with pytest.raises(error):
        cart_shares_set(
            cart=world.trade_fair,
            actor=world.caller(caller),
            permissions={world.company_user("colleague").pk: FULL_ACCESS},
        )
    assert snapshot() == before


def test_an_ordered_cart_gets_no_new_grants(world):
    Cart.objects.filter(pk=world.trade_fair.pk).update(status=CartStatus.ORDERED)
    world.trade_fair.refresh_from_db()
    before = snapshot()
    with pytest.raises(Conflict):
        cart_shares_set(
            cart=world.trade_fair,
            actor=world.alice,
            permissions={world.company_user("colleague").pk: READ_ONLY},
        )
    with pytest.raises(Conflict):
        cart_share_create(
            cart=world.trade_fair,
            actor=world.alice,
            company_user_id=world.company_user("colleague").pk,
            permission=READ_ONLY,
        )
    assert snapshot() == before


def test_removing_access_moves_the_colleagues_active_cart_back_to_their_own(world):
    world.bob.active_cart = world.trade_fair
    world.bob.save()
    cart_shares_set(
        cart=world.trade_fair,
        actor=world.alice,
        permissions={world.company_user("full_access").pk: None},
    )
    world.bob.refresh_from_db()
    assert world.bob.active_cart.owner == world.bob


# Single grants (the REST API's needs)


def test_creating_a_grant_for_a_colleague_records_it(world):
    share = cart_share_create(
        cart=world.trade_fair,
        actor=world.alice,
        company_user_id=world.company_user("colleague").pk,
        permission="FULL_ACCESS",
    )
    assert share.permission == FULL_ACCESS
    activity = CartActivity.objects.filter(cart=world.trade_fair).first()
    assert activity.verb == Verb.SHARED
    assert activity.details["grantee"] == "Greta Gruber"


def test_creating_a_grant_twice_is_a_conflict_and_keeps_the_first_level(world):
    before = snapshot()
    with pytest.raises(Conflict):
        cart_share_create(
            cart=world.trade_fair,
            actor=world.alice,
            company_user_id=world.company_user("read_only").pk,
            permission=FULL_ACCESS,
        )
    assert snapshot() == before


@pytest.mark.parametrize("outsider", ["other_unit", "other_company", "owner"])
def test_creating_a_grant_outside_my_unit_is_invalid_input(world, outsider):
    before = snapshot()
    with pytest.raises(InvalidInput):
        cart_share_create(
            cart=world.trade_fair,
            actor=world.alice,
            company_user_id=world.company_user(outsider).pk,
            permission=READ_ONLY,
        )
    assert snapshot() == before


@pytest.mark.parametrize("permission", [None, "", "NONE", "OWNER", "PREVIEW", 3])
def test_creating_a_grant_needs_a_real_level(world, permission):
    before = snapshot()
    with pytest.raises(InvalidInput):
        cart_share_create(
            cart=world.trade_fair,
            actor=world.alice,
            company_user_id=world.company_user("colleague").pk,
            permission=permission,
        )
    assert snapshot() == before


def test_the_owner_changes_a_level_and_it_is_recorded(world):
    share = CartShare.objects.get(company_user=world.company_user("read_only"))
    cart_share_update(share=share, actor=world.alice, permission=FULL_ACCESS)
    assert permission_of(world, "read_only") == FULL_ACCESS
    activity = CartActivity.objects.filter(cart=world.trade_fair).first()
    assert (activity.verb, activity.details["old"], activity.details["new"]) == (
        Verb.SHARE_CHANGED,
        "READ_ONLY",
        "FULL_ACCESS",
    )


@pytest.mark.parametrize("caller", ["read_only", "full_access"])
def test_grantees_cannot_change_levels(world, caller):
    share = CartShare.objects.get(company_user=world.company_user("read_only"))
    before = snapshot()
    with pytest.raises(PermissionDenied):
        cart_share_update(share=share, actor=world.caller(caller), permission=FULL_ACCESS)
    with pytest.raises(PermissionDenied):
        cart_share_delete(share=share, actor=world.caller(caller))
    assert snapshot() == before


def test_the_owner_removes_a_grant_and_it_is_recorded(world):
    share = CartShare.objects.get(company_user=world.company_user("full_access"))
    cart_share_delete(share=share, actor=world.alice)
    assert permission_of(world, "full_access") is None
    activity = CartActivity.objects.filter(cart=world.trade_fair).first()
    assert (activity.verb, activity.details["grantee"]) == (Verb.UNSHARED, "Bob Brandt")


# Dismiss


def test_a_grantee_dismisses_the_cart_and_their_active_cart_falls_back_to_their_own(world):
    newest_own = CartFactory(owner=world.frank, name="Newest")
    world.frank.active_cart = world.trade_fair
    world.frank.save()
    cart_share_dismiss(cart=world.trade_fair, actor=world.frank)
    assert permission_of(world, "read_only") is None
    world.frank.refresh_from_db()
    assert world.frank.active_cart == newest_own
    activity = CartActivity.objects.filter(cart=world.trade_fair).first()
    assert activity.verb == Verb.SHARE_DISMISSED
    assert activity.actor == world.frank
    assert activity.details["old"] == "READ_ONLY"


def test_dismissing_a_cart_that_is_not_active_keeps_the_active_cart(world):
    active = world.bob.active_cart
    cart_share_dismiss(cart=world.trade_fair, actor=world.bob)
    world.bob.refresh_from_db()
    assert world.bob.active_cart == active


def test_the_owner_cannot_dismiss_their_own_cart(world):
    before = snapshot()
    with pytest.raises(PermissionDenied, match="own this cart"):
        cart_share_dismiss(cart=world.trade_fair, actor=world.alice)
    assert snapshot() == before


@pytest.mark.parametrize("caller", ["colleague", "other_unit", "other_company", "b2c"])
def test_people_without_a_grant_cannot_dismiss(world, caller):
    before = snapshot()
    with pytest.raises(NotFound):
        cart_share_dismiss(cart=world.trade_fair, actor=world.caller(caller))
    assert snapshot() == before


def test_an_ordered_cart_can_still_be_dismissed(world):
    Cart.objects.filter(pk=world.trade_fair.pk).update(status=CartStatus.ORDERED)
    world.trade_fair.refresh_from_db()
    cart_share_dismiss(cart=world.trade_fair, actor=world.frank)
    assert permission_of(world, "read_only") is None


def test_deleting_a_grant_through_the_api_is_removal_for_the_owner_and_dismissal_for_the_grantee(
    world,
):
    read_share = CartShare.objects.get(company_user=world.company_user("read_only"))
    full_share = CartShare.objects.get(company_user=world.company_user("full_access"))
    with pytest.raises(NotFound):
        cart_share_remove(share=read_share, actor=world.bob)
    cart_share_remove(share=read_share, actor=world.alice)
    cart_share_remove(share=full_share, actor=world.bob)
    verbs = list(CartActivity.objects.filter(cart=world.trade_fair).values_list("verb", flat=True))
    assert verbs == [Verb.SHARE_DISMISSED, Verb.UNSHARED]
    assert not CartShare.objects.filter(cart=world.trade_fair).exists()


def test_a_grant_is_found_only_by_its_owner_and_its_grantee(world):
    share = CartShare.objects.get(company_user=world.company_user("read_only"))
    assert cart_share_get_for(world.alice, share.pk) == share
    assert cart_share_get_for(world.frank, str(share.pk)) == share
    for caller in ["full_access", "other_unit", "b2c"]:
        with pytest.raises(NotFound):
            cart_share_get_for(world.caller(caller), share.pk)
    with pytest.raises(NotFound):
        cart_share_get_for(world.alice, "not-a-number")


# Selectors


def test_colleagues_for_sharing_are_the_active_people_of_my_unit_with_their_level(world):
    inactive = CompanyUserFactory(
        business_unit=world.company_user("owner").business_unit, is_active=False
    )
    colleagues = colleagues_for_sharing(world.alice, world.trade_fair)
    assert [(person.name, person.permission) for person in colleagues] == [
        ("Bob Brandt", FULL_ACCESS),
        ("Frank Fischer", READ_ONLY),
        ("Greta Gruber", None),
    ]
    assert inactive.pk not in {person.company_user_id for person in colleagues}


def test_colleagues_for_sharing_take_one_query_however_many_colleagues(world):
    unit = world.company_user("owner").business_unit
    for _ in range(10):
        CompanyUserFactory(business_unit=unit)
    with CaptureQueriesContext(connection) as queries:
        colleagues = colleagues_for_sharing(world.alice, world.trade_fair)
    assert len(colleagues) == 13
    assert len(queries) == 1


def test_a_b2c_owner_has_no_colleagues():
    erin = CustomerFactory()
    cart = CartFactory(owner=erin)
    assert colleagues_for_sharing(erin, cart) == []


def test_an_owner_with_a_deactivated_company_user_has_no_colleagues(world):
    company_user = world.company_user("owner")
    company_user.is_active = False
    company_user.save()
    assert colleagues_for_sharing(world.alice, world.trade_fair) == []


def test_the_share_list_holds_only_grants_that_count(world):
    moved = world.company_user("full_access")
    moved.business_unit = world.company_user("other_unit").business_unit
    moved.save()
    shares = cart_shares_list(world.trade_fair)
    assert [share.company_user.customer.name for share in shares] == ["Frank Fischer"]
