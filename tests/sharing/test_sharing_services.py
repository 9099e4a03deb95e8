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
from tests.sharing.conftest import snapshot

pytestmark = pytest.mark.django_db

READ_ONLY, FULL_ACCESS = SharePermission.READ_ONLY, SharePermission.FULL_ACCESS


def permission_of(cast, caller):
    return (
        CartShare.objects.filter(cart=cast.cart, company_user__customer=cast.customer(caller))
        .values_list("permission", flat=True)
        .first()
    )


# cart_shares_set: the share page's "save all"


def test_saving_the_share_page_applies_every_change_and_says_what_changed(cast):
    summary = cart_shares_set(
        cart=cast.cart,
        actor=cast.owner,
        permissions={
            cast.company_user("read_only").pk: FULL_ACCESS,
            cast.company_user("full_access").pk: None,
            cast.company_user("colleague").pk: "READ_ONLY",
        },
    )
    assert summary.lines == [
        "Bob Brandt: read-only → full access",
        "Frank Fischer: full access → no access",
        "Greta Gruber: no access → read-only",
    ]
    assert permission_of(cast, "read_only") == FULL_ACCESS
    assert permission_of(cast, "full_access") is None
    assert permission_of(cast, "colleague") == READ_ONLY


def test_saving_unchanged_levels_changes_and_records_nothing(cast):
    before = snapshot()
    summary = cart_shares_set(
        cart=cast.cart,
        actor=cast.owner,
        permissions={
            cast.company_user("read_only").pk: "READ_ONLY",
            cast.company_user("colleague").pk: "NONE",
        },
    )
    assert not summary
    assert snapshot() == before


def test_each_grant_change_is_recorded_with_the_grantee_and_both_levels(cast):
    cart_shares_set(
        cart=cast.cart,
        actor=cast.owner,
        permissions={
            cast.company_user("read_only").pk: FULL_ACCESS,
            cast.company_user("full_access").pk: None,
            cast.company_user("colleague").pk: READ_ONLY,
        },
    )
    recorded = {
        activity.verb: activity.details
        for activity in CartActivity.objects.filter(cart=cast.cart, actor=cast.owner)
    }
    assert recorded[Verb.SHARE_CHANGED] == {
        "grantee": "Bob Brandt",
        "company_user_id": cast.company_user("read_only").pk,
        "old": "READ_ONLY",
        "new": "FULL_ACCESS",
    }
    assert recorded[Verb.UNSHARED]["grantee"] == "Frank Fischer"
    assert recorded[Verb.UNSHARED]["old"] == "FULL_ACCESS"
    assert recorded[Verb.UNSHARED]["new"] is None
    assert recorded[Verb.SHARED]["grantee"] == "Greta Gruber"
    assert recorded[Verb.SHARED]["new"] == "READ_ONLY"


@pytest.mark.parametrize("outsider", ["other_unit", "other_company", "b2c", "owner"])
def test_a_batch_with_one_invalid_person_changes_nothing(cast, outsider):
    before = snapshot()
    outsider_id = (
        cast.company_user(outsider).pk
        if outsider != "b2c"
        else 10_000  # B2C customers have no company user id at all
    )
    with pytest.raises(InvalidInput):
        cart_shares_set(
            cart=cast.cart,
            actor=cast.owner,
            permissions={
                cast.company_user("colleague").pk: FULL_ACCESS,
                cast.company_user("read_only").pk: None,
                outsider_id: READ_ONLY,
            },
        )
    assert snapshot() == before


def test_a_batch_with_an_unknown_level_changes_nothing(cast):
    before = snapshot()
    with pytest.raises(InvalidInput):
        cart_shares_set(
            cart=cast.cart,
            actor=cast.owner,
            permissions={
                cast.company_user("colleague").pk: FULL_ACCESS,
                cast.company_user("read_only").pk: "OWNER",
            },
        )
    assert snapshot() == before


def test_a_deactivated_colleague_cannot_be_given_access(cast):
    colleague = cast.company_user("colleague")
    colleague.is_active = False
    colleague.save()
    before = snapshot()
    with pytest.raises(InvalidInput, match="active colleagues"):
        cart_shares_set(cart=cast.cart, actor=cast.owner, permissions={colleague.pk: READ_ONLY})
    assert snapshot() == before


def test_sharing_with_yourself_is_refused_with_a_clear_message(cast):
    with pytest.raises(InvalidInput, match="yourself"):
        cart_shares_set(
            cart=cast.cart,
            actor=cast.owner,
            permissions={cast.company_user("owner").pk: READ_ONLY},
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
def test_only_the_owner_saves_the_share_page(cast, caller, error):
    before = snapshot()
    with pytest.raises(error):
        cart_shares_set(
            cart=cast.cart,
            actor=cast.customer(caller),
            permissions={cast.company_user("colleague").pk: FULL_ACCESS},
        )
    assert snapshot() == before


def test_an_ordered_cart_gets_no_new_grants(cast):
    Cart.objects.filter(pk=cast.cart.pk).update(status=CartStatus.ORDERED)
    cast.cart.refresh_from_db()
    before = snapshot()
    with pytest.raises(Conflict):
        cart_shares_set(
            cart=cast.cart,
            actor=cast.owner,
            permissions={cast.company_user("colleague").pk: READ_ONLY},
        )
    with pytest.raises(Conflict):
        cart_share_create(
            cart=cast.cart,
            actor=cast.owner,
            company_user_id=cast.company_user("colleague").pk,
            permission=READ_ONLY,
        )
    assert snapshot() == before


def test_removing_access_moves_the_colleagues_active_cart_back_to_their_own(cast):
    cast.full_access.active_cart = cast.cart
    cast.full_access.save()
    cart_shares_set(
        cart=cast.cart,
        actor=cast.owner,
        permissions={cast.company_user("full_access").pk: None},
    )
    cast.full_access.refresh_from_db()
    assert cast.full_access.active_cart.owner == cast.full_access


# Single grants (the REST API's needs)


def test_creating_a_grant_for_a_colleague_records_it(cast):
    share = cart_share_create(
        cart=cast.cart,
        actor=cast.owner,
        company_user_id=cast.company_user("colleague").pk,
        permission="FULL_ACCESS",
    )
    assert share.permission == FULL_ACCESS
    activity = CartActivity.objects.filter(cart=cast.cart).first()
    assert activity.verb == Verb.SHARED
    assert activity.details["grantee"] == "Greta Gruber"


def test_creating_a_grant_twice_is_a_conflict_and_keeps_the_first_level(cast):
    before = snapshot()
    with pytest.raises(Conflict):
        cart_share_create(
            cart=cast.cart,
            actor=cast.owner,
            company_user_id=cast.company_user("read_only").pk,
            permission=FULL_ACCESS,
        )
    assert snapshot() == before


@pytest.mark.parametrize("outsider", ["other_unit", "other_company", "owner"])
def test_creating_a_grant_outside_my_unit_is_invalid_input(cast, outsider):
    before = snapshot()
    with pytest.raises(InvalidInput):
        cart_share_create(
            cart=cast.cart,
            actor=cast.owner,
            company_user_id=cast.company_user(outsider).pk,
            permission=READ_ONLY,
        )
    assert snapshot() == before


@pytest.mark.parametrize("permission", [None, "", "NONE", "OWNER", "PREVIEW", 3])
def test_creating_a_grant_needs_a_real_level(cast, permission):
    before = snapshot()
    with pytest.raises(InvalidInput):
        cart_share_create(
            cart=cast.cart,
            actor=cast.owner,
            company_user_id=cast.company_user("colleague").pk,
            permission=permission,
        )
    assert snapshot() == before


def test_the_owner_changes_a_level_and_it_is_recorded(cast):
    share = CartShare.objects.get(company_user=cast.company_user("read_only"))
    cart_share_update(share=share, actor=cast.owner, permission=FULL_ACCESS)
    assert permission_of(cast, "read_only") == FULL_ACCESS
    activity = CartActivity.objects.filter(cart=cast.cart).first()
    assert (activity.verb, activity.details["old"], activity.details["new"]) == (
        Verb.SHARE_CHANGED,
        "READ_ONLY",
        "FULL_ACCESS",
    )


@pytest.mark.parametrize("caller", ["read_only", "full_access"])
def test_grantees_cannot_change_levels(cast, caller):
    share = CartShare.objects.get(company_user=cast.company_user("read_only"))
    before = snapshot()
    with pytest.raises(PermissionDenied):
        cart_share_update(share=share, actor=cast.customer(caller), permission=FULL_ACCESS)
    with pytest.raises(PermissionDenied):
        cart_share_delete(share=share, actor=cast.customer(caller))
    assert snapshot() == before


def test_the_owner_removes_a_grant_and_it_is_recorded(cast):
    share = CartShare.objects.get(company_user=cast.company_user("full_access"))
    cart_share_delete(share=share, actor=cast.owner)
    assert permission_of(cast, "full_access") is None
    activity = CartActivity.objects.filter(cart=cast.cart).first()
    assert (activity.verb, activity.details["grantee"]) == (Verb.UNSHARED, "Frank Fischer")


# Dismiss


def test_a_grantee_dismisses_the_cart_and_their_active_cart_falls_back_to_their_own(cast):
    newest_own = CartFactory(owner=cast.read_only, name="Newest")
    cast.read_only.active_cart = cast.cart
    cast.read_only.save()
    cart_share_dismiss(cart=cast.cart, actor=cast.read_only)
    assert permission_of(cast, "read_only") is None
    cast.read_only.refresh_from_db()
    assert cast.read_only.active_cart == newest_own
    activity = CartActivity.objects.filter(cart=cast.cart).first()
    assert activity.verb == Verb.SHARE_DISMISSED
    assert activity.actor == cast.read_only
    assert activity.details["old"] == "READ_ONLY"


def test_dismissing_a_cart_that_is_not_active_keeps_the_active_cart(cast):
    active = cast.full_access.active_cart
    cart_share_dismiss(cart=cast.cart, actor=cast.full_access)
    cast.full_access.refresh_from_db()
    assert cast.full_access.active_cart == active


def test_the_owner_cannot_dismiss_their_own_cart(cast):
    before = snapshot()
    with pytest.raises(PermissionDenied, match="own this cart"):
        cart_share_dismiss(cart=cast.cart, actor=cast.owner)
    assert snapshot() == before


@pytest.mark.parametrize("caller", ["colleague", "other_unit", "other_company", "b2c"])
def test_people_without_a_grant_cannot_dismiss(cast, caller):
    before = snapshot()
    with pytest.raises(NotFound):
        cart_share_dismiss(cart=cast.cart, actor=cast.customer(caller))
    assert snapshot() == before


def test_an_ordered_cart_can_still_be_dismissed(cast):
    Cart.objects.filter(pk=cast.cart.pk).update(status=CartStatus.ORDERED)
    cast.cart.refresh_from_db()
    cart_share_dismiss(cart=cast.cart, actor=cast.read_only)
    assert permission_of(cast, "read_only") is None


def test_deleting_a_grant_through_the_api_is_removal_for_the_owner_and_dismissal_for_the_grantee(
    cast,
):
    read_share = CartShare.objects.get(company_user=cast.company_user("read_only"))
    full_share = CartShare.objects.get(company_user=cast.company_user("full_access"))
    with pytest.raises(NotFound):
        cart_share_remove(share=read_share, actor=cast.full_access)
    cart_share_remove(share=read_share, actor=cast.owner)
    cart_share_remove(share=full_share, actor=cast.full_access)
    verbs = list(CartActivity.objects.filter(cart=cast.cart).values_list("verb", flat=True))
    assert verbs == [Verb.SHARE_DISMISSED, Verb.UNSHARED]
    assert not CartShare.objects.filter(cart=cast.cart).exists()


def test_a_grant_is_found_only_by_its_owner_and_its_grantee(cast):
    share = CartShare.objects.get(company_user=cast.company_user("read_only"))
    assert cart_share_get_for(cast.owner, share.pk) == share
    assert cart_share_get_for(cast.read_only, str(share.pk)) == share
    for caller in ["full_access", "other_unit", "b2c"]:
        with pytest.raises(NotFound):
            cart_share_get_for(cast.customer(caller), share.pk)
    with pytest.raises(NotFound):
        cart_share_get_for(cast.owner, "not-a-number")


# Selectors


def test_colleagues_for_sharing_are_the_active_people_of_my_unit_with_their_level(cast):
    inactive = CompanyUserFactory(
        business_unit=cast.company_user("owner").business_unit, is_active=False
    )
    colleagues = colleagues_for_sharing(cast.owner, cast.cart)
    assert [(person.name, person.permission) for person in colleagues] == [
        ("Bob Brandt", READ_ONLY),
        ("Frank Fischer", FULL_ACCESS),
        ("Greta Gruber", None),
    ]
    assert inactive.pk not in {person.company_user_id for person in colleagues}


def test_colleagues_for_sharing_take_one_query_however_many_colleagues(cast):
    unit = cast.company_user("owner").business_unit
    for _ in range(10):
        CompanyUserFactory(business_unit=unit)
    with CaptureQueriesContext(connection) as queries:
        colleagues = colleagues_for_sharing(cast.owner, cast.cart)
    assert len(colleagues) == 13
    assert len(queries) == 1


def test_a_b2c_owner_has_no_colleagues():
    erin = CustomerFactory()
    cart = CartFactory(owner=erin)
    assert colleagues_for_sharing(erin, cart) == []


def test_an_owner_with_a_deactivated_company_user_has_no_colleagues(cast):
    company_user = cast.company_user("owner")
    company_user.is_active = False
    company_user.save()
    assert colleagues_for_sharing(cast.owner, cast.cart) == []


def test_the_share_list_holds_only_grants_that_count(cast):
    moved = cast.company_user("full_access")
    moved.business_unit = cast.company_user("other_unit").business_unit
    moved.save()
    shares = cart_shares_list(cast.cart)
    assert [share.company_user.customer.name for share in shares] == ["Bob Brandt"]
