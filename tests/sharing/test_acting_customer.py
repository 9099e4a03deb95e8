"""`ensure_customer_can`: the policy hands services the customer who may act (typed `Customer`),
and refuses everyone else exactly as `ensure_can` does; `activity_record` refuses a non-customer
rather than storing an anonymous author."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from cartshare.access.policies import CartAction, ensure_customer_can
from cartshare.activity.models import CartActivity
from cartshare.activity.services import Verb, activity_record
from cartshare.api.auth import caller, caller_or_anonymous
from cartshare.common.errors import LoginRequired, NotFound, PermissionDenied
from cartshare.storefront.views.carts import current_customer

pytestmark = pytest.mark.django_db


def test_the_customer_who_may_act_is_returned_as_they_are(world):
    customer = ensure_customer_can(world.bob, CartAction.EDIT, world.trade_fair)
    assert customer is world.bob


@pytest.mark.parametrize("role", ["anonymous", "colleague", "other_unit"])
def test_who_cannot_see_the_cart_gets_not_found(world, role):
    actor = world.caller(role)
    with pytest.raises(NotFound):
        ensure_customer_can(actor, CartAction.VIEW, world.trade_fair)
    with pytest.raises(NotFound):
        ensure_customer_can(AnonymousUser(), CartAction.VIEW, world.trade_fair)


def test_a_level_too_low_is_refused_as_by_ensure_can(world):
    with pytest.raises(PermissionDenied):
        ensure_customer_can(world.frank, CartAction.EDIT, world.trade_fair)


def test_activity_is_never_recorded_for_an_anonymous_actor(world):
    before = CartActivity.objects.count()
    with pytest.raises(ValueError, match="customer"):
        activity_record(cart=world.trade_fair, actor=AnonymousUser(), verb=Verb.COMMENTED)
    assert CartActivity.objects.count() == before


def test_the_request_helpers_give_a_customer_or_refuse(world):
    request = HttpRequest()
    request.user = AnonymousUser()
    with pytest.raises(LoginRequired):
        current_customer(request)
    with pytest.raises(LoginRequired):
        caller(request)  # no `request.auth`: ninja did not authenticate anybody
    assert isinstance(caller_or_anonymous(request), AnonymousUser)
    request.user = world.alice
    request.auth = world.alice
    assert current_customer(request) is world.alice
    assert caller(request) is world.alice
    assert caller_or_anonymous(request) is world.alice
