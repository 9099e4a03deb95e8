"""Random stories of sharing, checked step by step against a model of the spec (tests/model/
rules.py): share, unshare, raise, link create / revoke / expire, accept, dismiss, edit, check
out, ask for access and answer, deactivate and move people, by random people. Every step drives
the real services (cartshare.sharing, carts, orders) and expects them to succeed exactly when
the model allows it; after every step the policy's answer for every person x action x cart,
per object and as queryset scopes, must be the model's.

CI runs a few examples (the "ci" Hypothesis profile); `make model` runs many more
(CARTSHARE_HYPOTHESIS_EXAMPLES, CARTSHARE_HYPOTHESIS_STEPS)."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from cartshare.access import policies
from cartshare.access.policies import CartAction
from cartshare.accounts.models import BusinessUnit, Company, CompanyUser, Customer
from cartshare.carts.models import Cart, CartItem
from cartshare.carts.selectors import active_cart_id
from cartshare.carts.services import cart_item_add, cart_item_remove, cart_item_update, cart_update
from cartshare.catalog.models import Product
from cartshare.common.errors import DomainError
from cartshare.orders.services import cart_checkout
from cartshare.sharing.access_requests import (
    access_request_create,
    access_request_decide,
    access_request_withdraw,
)
from cartshare.sharing.link_services import share_link_get_or_create, share_link_revoke
from cartshare.sharing.link_visits import share_link_accept, share_link_resolve
from cartshare.sharing.models import AccessRequest, CartShare, ShareLink
from cartshare.sharing.services import (
    cart_share_delete,
    cart_share_dismiss,
    cart_share_update,
    cart_shares_set,
)
from tests.factories import CategoryFactory
from tests.model import rules
from tests.model.rules import GRANT_LEVELS, LINK_OPTIONS, Model, Person

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("CARTSHARE_HYPOTHESIS_EXAMPLES", "10"))
STEPS = int(os.environ.get("CARTSHARE_HYPOTHESIS_STEPS", "20"))
settings.register_profile(
    "cartshare-model",
    max_examples=EXAMPLES,
    stateful_step_count=STEPS,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    # Failing stories are kept between runs only when asked for (a long local run): CI
    # starts from nothing each time and the repository stays clean.
    database=None if "CARTSHARE_HYPOTHESIS_DB" not in os.environ else settings().database,
)
BASE_URL = "http://testserver"

# Who takes part: three units of two companies and a B2C customer; everybody owns one cart.
UNITS = {"north": "Acme", "south": "Acme", "east": "Globex"}
PEOPLE = {"ann": "north", "ben": "north", "cid": "north", "dot": "south", "eve": "east"}
B2C = ["fay"]
NAMES = [*PEOPLE, *B2C]
ACTORS = st.sampled_from([*NAMES, None])  # None: an anonymous visitor
MEMBERS = st.sampled_from(list(PEOPLE))
SKUS = ["SKU-A", "SKU-B", "SKU-C"]
LEVEL_OR_NONE = st.sampled_from([*GRANT_LEVELS, None])


def perform(allowed: bool, call: Callable[[], object], what: str) -> bool:
    """Run one service call; it must succeed exactly when the model allows it, and refuse
    with a domain error (a clear message, never another exception) otherwise."""
    try:
        with transaction.atomic():
            call()
    except DomainError as error:
        assert not allowed, f"{what}: refused ({type(error).__name__}: {error}), model allows"
        return False
    assert allowed, f"{what}: done, but the model (spec) refuses it"
    return True


def refusal_of(actor: Customer | AnonymousUser, action: CartAction, cart: Cart) -> str | None:
    try:
        policies.ensure_can(actor, action, cart)
    except DomainError as error:
        return type(error).__name__
    return None


class SharingRules(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()  # each story in a savepoint, rolled back at its end
        companies = {name: Company.objects.create(name=name) for name in set(UNITS.values())}
        self.units = {
            name: BusinessUnit.objects.create(company=companies[company], name=name)
            for name, company in UNITS.items()
        }
        category = CategoryFactory()
        for sku in SKUS:
            Product.objects.create(sku=sku, name=sku, category=category, unit_price=100)
        self.pk: dict[str, int] = {}
        people = {}
        for name in NAMES:
            customer = Customer.objects.create_user(f"{name}@example.com", "x", name=name)
            self.pk[name] = customer.pk
            unit = PEOPLE.get(name)
            if unit is not None:
                CompanyUser.objects.create(customer=customer, business_unit=self.units[unit])
            people[name] = Person(name=name, unit=unit)
        self.model = Model(people=people)
        for name in NAMES:
            cart = Cart.objects.create(owner_id=self.pk[name], name=f"Cart of {name}")
            Customer.objects.filter(pk=self.pk[name]).update(active_cart=cart)
            self.model.carts[str(cart.pk)] = rules.Cart(key=str(cart.pk), owner=name)
        self.names = {pk: name for name, pk in self.pk.items()}
        self.renames = 0
        self.checks = 0

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # --- helpers ---------------------------------------------------------------------------
    def actor(self, name: str | None) -> Customer | AnonymousUser:
        """The person as their next request loads them (nothing cached)."""
        return AnonymousUser() if name is None else Customer.objects.get(pk=self.pk[name])

    def cart(self, key: str) -> Cart:
        return Cart.objects.select_related("owner").get(pk=key)

    def company_user(self, name: str) -> CompanyUser:
        return CompanyUser.objects.get(customer_id=self.pk[name])

    def pick_cart(self, index: int) -> str:
        keys = list(self.model.carts)  # in the order they were made (their ids are random)
        return keys[index % len(keys)]

    # --- grants (§4) -----------------------------------------------------------------------
    @rule(actor=ACTORS, cart=st.integers(0, 20), grantee=MEMBERS, level=LEVEL_OR_NONE)
    def share(self, actor, cart, grantee, level):
        """The share page's save: give, change or remove one colleague's level."""
        key = self.pick_cart(cart)
        allowed = self.model.set_grant(actor, key, grantee, level)
        call = lambda: cart_shares_set(  # noqa: E731
            cart=self.cart(key),
            actor=self.actor(actor),
            permissions={self.company_user(grantee).pk: level},
        )
        perform(allowed, call, "share")

    @precondition(lambda self: self.model.grants)
    @rule(actor=ACTORS, index=st.integers(0, 20))
    def unshare(self, actor, index):
        key, target = list(self.model.grants)[index % len(self.model.grants)]
        share = CartShare.objects.get(cart_id=key, company_user__customer_id=self.pk[target])
        allowed = self.model.level(actor, key) == rules.OWNER
        perform(allowed, lambda: cart_share_delete(share=share, actor=self.actor(actor)), "unshare")
        if allowed:
            self.model.remove_grant(actor, key, target)

    @precondition(lambda self: self.model.grants)
    @rule(actor=ACTORS, index=st.integers(0, 20), level=st.sampled_from(GRANT_LEVELS))
    def change_level(self, actor, index, level):
        """Raise or lower a grant (the API's PATCH of one grant)."""
        key, target = list(self.model.grants)[index % len(self.model.grants)]
        share = CartShare.objects.get(cart_id=key, company_user__customer_id=self.pk[target])
        allowed = self.model.set_grant(actor, key, target, level)
        call = lambda: cart_share_update(  # noqa: E731
            share=share, actor=self.actor(actor), permission=level
        )
        perform(allowed, call, "change level")

    @rule(actor=ACTORS, cart=st.integers(0, 20))
    def dismiss(self, actor, cart):
        key = self.pick_cart(cart)
        allowed = self.model.dismiss(actor, key)
        call = lambda: cart_share_dismiss(cart=self.cart(key), actor=self.actor(actor))  # noqa: E731
        perform(allowed, call, "dismiss")

    # --- links (§5) ------------------------------------------------------------------------
    @rule(actor=ACTORS, cart=st.integers(0, 20), option=st.sampled_from(LINK_OPTIONS))
    def link_create(self, actor, cart, option):
        key = self.pick_cart(cart)
        allowed, new = self.model.link_create(actor, key, option)
        made: list[tuple[ShareLink, str | None, bool]] = []
        call = lambda: made.append(  # noqa: E731
            share_link_get_or_create(
                cart=self.cart(key), actor=self.actor(actor), share_option=option, base_url=BASE_URL
            )
        )
        perform(allowed, call, "link create")
        if made:
            link, url, created = made[0]
            assert created == (new is not None), "a new link exactly when none is working"
            if new is not None:
                assert url is not None
                new.key, new.token = link.pk, url.rsplit("/", 1)[-1]
                self.model.links.append(new)

    @precondition(lambda self: self.model.links)
    @rule(actor=ACTORS, index=st.integers(0, 20))
    def link_revoke(self, actor, index):
        link = self.model.links[index % len(self.model.links)]
        row = ShareLink.objects.get(pk=link.key)
        allowed = self.model.link_revoke(actor, link)
        perform(allowed, lambda: share_link_revoke(link=row, actor=self.actor(actor)), "revoke")

    @precondition(lambda self: self.model.links)
    @rule(index=st.integers(0, 20))
    def link_expire(self, index):
        """Time passes beyond the link's expiry."""
        link = self.model.links[index % len(self.model.links)]
        ShareLink.objects.filter(pk=link.key).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
        link.expired = True

    @precondition(lambda self: self.model.links)
    @rule(actor=ACTORS, index=st.integers(0, 20))
    def accept(self, actor, index):
        link = self.model.links[index % len(self.model.links)]
        allowed = self.model.accept(actor, link)
        call = lambda: share_link_accept(token=link.token, actor=self.actor(actor))  # noqa: E731
        perform(allowed, call, "accept")

    # --- items, checkout (§2, §7, §10) -------------------------------------------------------
    @rule(
        actor=ACTORS,
        cart=st.integers(0, 20),
        sku=st.sampled_from(SKUS),
        quantity=st.sampled_from([1, 2, 3, 4_000, 9_999]),
    )
    def add(self, actor, cart, sku, quantity):
        key = self.pick_cart(cart)
        allowed = self.model.add(actor, key, sku, quantity)
        call = lambda: cart_item_add(  # noqa: E731
            cart=self.cart(key), actor=self.actor(actor), sku=sku, quantity=quantity
        )
        perform(allowed, call, "add")

    @rule(
        actor=ACTORS,
        cart=st.integers(0, 20),
        sku=st.sampled_from(SKUS),
        quantity=st.one_of(st.none(), st.integers(1, 5)),
    )
    def change_item(self, actor, cart, sku, quantity):
        """A new quantity for a line, or (None) its removal."""
        key = self.pick_cart(cart)
        if sku not in self.model.carts[key].items:
            return
        item = CartItem.objects.get(cart_id=key, product__sku=sku)
        allowed = self.model.change(actor, key, sku, quantity)
        if quantity is None:
            call = lambda: cart_item_remove(  # noqa: E731
                cart=self.cart(key), actor=self.actor(actor), item_id=item.pk
            )
        else:
            call = lambda: cart_item_update(  # noqa: E731
                cart=self.cart(key), actor=self.actor(actor), item_id=item.pk, quantity=quantity
            )
        perform(allowed, call, "change item")

    @rule(actor=ACTORS, cart=st.integers(0, 20))
    def rename(self, actor, cart):
        key = self.pick_cart(cart)
        self.renames += 1
        name = f"Renamed {self.renames}"
        call = lambda: cart_update(cart=self.cart(key), actor=self.actor(actor), name=name)  # noqa: E731
        perform(self.model.may(actor, rules.EDIT, key), call, "rename")

    @rule(actor=ACTORS, cart=st.integers(0, 20))
    def checkout(self, actor, cart):
        key = self.pick_cart(cart)
        allowed = self.model.checkout(actor, key)
        perform(
            allowed, lambda: cart_checkout(cart=self.cart(key), actor=self.actor(actor)), "order"
        )

    # --- access requests (§11) -------------------------------------------------------------
    @rule(
        actor=ACTORS,
        cart=st.integers(0, 20),
        level=st.sampled_from(GRANT_LEVELS),
        holds_link=st.booleans(),
    )
    def request_access(self, actor, cart, level, holds_link):
        key = self.pick_cart(cart)
        new = self.model.request_access(actor, key, level, holds_link=holds_link)
        made: list[AccessRequest] = []
        call = lambda: made.append(  # noqa: E731
            access_request_create(
                cart=self.cart(key),
                actor=self.actor(actor),
                permission=level,
                holds_link=holds_link,
            )
        )
        perform(new is not None, call, "request access")
        if new is not None:
            new.key = made[0].pk
            self.model.requests.append(new)

    @precondition(lambda self: self.model.requests)
    @rule(
        actor=ACTORS,
        index=st.integers(0, 20),
        approve=st.booleans(),
        level=st.sampled_from([*GRANT_LEVELS, None]),
    )
    def decide(self, actor, index, approve, level):
        request = self.model.requests[index % len(self.model.requests)]
        row = AccessRequest.objects.get(pk=request.key)
        allowed = self.model.decide(actor, request, approve=approve, level=level or request.level)
        call = lambda: access_request_decide(  # noqa: E731
            access_request=row,
            actor=self.actor(actor),
            status="APPROVED" if approve else "DECLINED",
            permission=level,
        )
        perform(allowed, call, "decide")

    @precondition(lambda self: self.model.requests)
    @rule(actor=ACTORS, index=st.integers(0, 20))
    def withdraw(self, actor, index):
        request = self.model.requests[index % len(self.model.requests)]
        row = AccessRequest.objects.get(pk=request.key)
        allowed = self.model.withdraw(actor, request)
        call = lambda: access_request_withdraw(access_request=row, actor=self.actor(actor))  # noqa: E731
        perform(allowed, call, "withdraw")

    # --- staff change people (§1) ----------------------------------------------------------
    @rule(name=MEMBERS, active=st.booleans())
    def set_member_active(self, name, active):
        """Staff deactivate (or reactivate) a company user."""
        CompanyUser.objects.filter(customer_id=self.pk[name]).update(is_active=active)
        self.model.people[name].member_active = active

    @rule(name=st.sampled_from(NAMES), active=st.booleans())
    def set_account_active(self, name, active):
        Customer.objects.filter(pk=self.pk[name]).update(is_active=active)
        self.model.people[name].account_active = active

    @rule(name=MEMBERS, unit=st.sampled_from(list(UNITS)))
    def move(self, name, unit):
        CompanyUser.objects.filter(customer_id=self.pk[name]).update(business_unit=self.units[unit])
        self.model.people[name].unit = unit

    # --- after every step ------------------------------------------------------------------
    @invariant()
    def new_carts_are_empty_own_carts(self):
        """The services make a new own cart when someone's active cart can no longer be filled
        (§2): it is theirs, open, empty and shared with nobody."""
        made = Cart.objects.exclude(pk__in=list(self.model.carts)).select_related("owner")
        for cart in sorted(made, key=lambda cart: (cart.owner.name, cart.name)):
            assert not cart.is_ordered and not cart.items.exists() and not cart.shares.exists()
            key = str(cart.pk)
            self.model.carts[key] = rules.Cart(key=key, owner=self.names[cart.owner_id])

    def scoped_actions(self) -> list[CartAction]:
        """The actions whose queryset scopes this step checks: a third of them in turn (each
        scope is a query of its own; the per-object answers are checked for all, every step)."""
        self.checks += 1
        return [action for i, action in enumerate(CartAction) if i % 3 == self.checks % 3]

    @invariant()
    def the_policy_answers_as_the_model(self):
        model = self.model
        scoped = self.scoped_actions()
        carts = {key: self.cart(key) for key in model.carts}
        for name in [*NAMES, None]:
            actor = self.actor(name)
            for key, cart in carts.items():
                level = policies.access_level(actor, cart)
                assert level == model.level(name, key), f"level of {name} on {key}"
            for action in CartAction:
                expected = {key for key in carts if model.may(name, action.value, key)}
                got = {key for key, cart in carts.items() if policies.can(actor, action, cart)}
                assert got == expected, f"can({name}, {action})"
                for key, cart in carts.items():
                    assert refusal_of(actor, action, cart) == rules.refusal(
                        model.level(name, key), action.value, model.carts[key].ordered
                    ), f"ensure_can({name}, {action}, {key})"
                if action not in scoped:
                    continue
                scope = {
                    str(pk)
                    for pk in policies.carts_allowing(actor, action).values_list("pk", flat=True)
                }
                assert scope == expected, f"carts_allowing({name}, {action})"
            assert {key for key, cart in carts.items() if policies.can_delete(actor, cart)} == {
                key for key in carts if model.may_delete(name, key)
            }, f"can_delete({name})"
            assert {
                key for key, cart in carts.items() if policies.can_request_access(actor, cart)
            } == {key for key in carts if model.may_request(name, key)}, f"request({name})"
            colleagues = {self.names[user.customer_id] for user in policies.colleagues_of(actor)}
            assert colleagues == model.colleagues(name), f"colleagues_of({name})"
            orders = {str(order.cart_uuid) for order in policies.orders_visible_to(actor)}
            assert orders == model.orders_seen_by(name), f"orders_visible_to({name})"
            seen = set(policies.access_requests_managed_by(actor).values_list("pk", flat=True))
            assert seen == model.requests_seen_by(name), f"access_requests_managed_by({name})"
        for key, cart in carts.items():
            for action in scoped:
                people = {
                    self.names[pk]
                    for pk in policies.people_allowed(cart, action).values_list("pk", flat=True)
                }
                assert people == {name for name in NAMES if model.may(name, action.value, key)}, (
                    f"people_allowed({key}, {action})"
                )

    @invariant()
    def items_change_as_the_model(self):
        for item in CartItem.objects.select_related("cart", "product"):
            key, sku = str(item.cart_id), item.product.sku
            assert (item.quantity, self.names[item.added_by_id]) == self.model.carts[key].items[sku]
            for name in [*NAMES, None]:
                assert policies.can_change_item(self.actor(name), self.cart(key), item) == (
                    self.model.may_change_item(name, key, sku)
                ), f"can_change_item({name}, {sku} in {key})"
        for key, cart in self.model.carts.items():
            assert CartItem.objects.filter(cart_id=key).count() == len(cart.items)

    @invariant()
    def links_open_as_the_model(self):
        for link in self.model.links:
            try:
                row = share_link_resolve(link.token)
            except DomainError:
                assert not link.working, f"working link {link.key} refused"
                continue
            assert link.working, f"dead link {link.key} opens"
            for name in [*NAMES, None]:
                assert policies.link_access_level(self.actor(name), row) == (
                    self.model.link_level(name, link)
                ), f"link_access_level({name}, {link.option} link of {link.cart})"

    @invariant()
    def grants_and_requests_are_the_model(self):
        grants = {
            (str(cart_id), self.names[customer_id]): permission
            for cart_id, customer_id, permission in CartShare.objects.values_list(
                "cart_id", "company_user__customer_id", "permission"
            )
        }
        assert grants == self.model.grants
        statuses = dict(AccessRequest.objects.values_list("pk", "status"))
        assert statuses == {request.key: request.status for request in self.model.requests}
        for request in self.model.requests:
            row = AccessRequest.objects.get(pk=request.key)
            assert policies.access_request_is_lapsed(row) == self.model.lapsed(request)

    @invariant()
    def the_active_cart_can_be_filled(self):
        """§2: "add to cart" goes into a cart the customer may add to, never a read-only or
        ordered one."""
        for name in NAMES:
            if not self.model.active(name):
                continue
            chosen = active_cart_id(self.actor(name))
            fillable = {
                key for key in self.model.carts if self.model.may(name, rules.ACTIVATE, key)
            }
            if chosen is None:
                assert not fillable, f"{name} has no active cart but could fill {fillable}"
            else:
                assert str(chosen) in fillable, f"{name}'s active cart cannot be filled"


def test_the_policy_answers_every_story_as_the_spec_says():
    run_state_machine_as_test(SharingRules, settings=settings.get_profile("cartshare-model"))
