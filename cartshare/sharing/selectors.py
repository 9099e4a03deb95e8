"""Reading grants and the colleagues a cart can be shared with, each in one query."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, OuterRef, QuerySet, Subquery

from cartshare.accounts.models import CompanyUser
from cartshare.common.errors import NotFound
from cartshare.sharing.models import CartShare, SharePermission


@dataclass(frozen=True)
class Colleague:
    """A company user of the owner's business unit, and their current level on one cart."""

    company_user_id: int
    customer_id: int
    name: str
    email: str
    permission: SharePermission | None

    @property
    def field_name(self) -> str:
        return f"permission-{self.company_user_id}"


def colleague_company_users(owner) -> QuerySet[CompanyUser]:
    """Active company users (with active accounts) of the owner's business unit, not the owner.
    Empty for B2C owners and for owners whose own company user is deactivated."""
    if owner is None:
        return CompanyUser.objects.none()
    return (
        CompanyUser.objects.filter(
            is_active=True,
            customer__is_active=True,
            business_unit__company_users__customer_id=owner.pk,
            business_unit__company_users__is_active=True,
        )
        .exclude(customer_id=owner.pk)
        .select_related("customer")
        .order_by("customer__name", "pk")
    )


def colleagues_for_sharing(owner, cart=None) -> list[Colleague]:
    """The share page's rows: every colleague and their level on `cart` (None: no access)."""
    users = colleague_company_users(owner)
    if cart is not None:
        users = users.annotate(
            share_permission=Subquery(
                CartShare.objects.filter(cart_id=cart.pk, company_user_id=OuterRef("pk")).values(
                    "permission"
                )[:1]
            )
        )
    return [
        Colleague(
            company_user_id=user.pk,
            customer_id=user.customer_id,
            name=user.customer.name,
            email=user.customer.email,
            permission=SharePermission(permission)
            if (permission := getattr(user, "share_permission", None))
            else None,
        )
        for user in users
    ]


def cart_shares_list(cart) -> list[CartShare]:
    """The grants that count now: the grantee is active and in the owner's business unit.
    Grants of people who left the unit stay in the table, inert, until the owner removes them."""
    return list(
        CartShare.objects.filter(
            cart_id=cart.pk,
            company_user__is_active=True,
            company_user__customer__is_active=True,
            cart__owner__company_user__is_active=True,
            cart__owner__company_user__business_unit_id=F("company_user__business_unit_id"),
        )
        .select_related("company_user__customer", "cart")
        .order_by("company_user__customer__name", "pk")
    )


def cart_share_get_for(actor, share_id: object) -> CartShare:
    """A grant the actor may manage or dismiss: the cart's owner's, or the grantee's own."""
    try:
        pk = int(str(share_id))
    except ValueError:
        pk = None
    share = (
        CartShare.objects.select_related("cart__owner", "company_user__customer")
        .filter(pk=pk)
        .first()
        if pk is not None and actor is not None and actor.is_authenticated
        else None
    )
    if share is None or actor.pk not in (share.cart.owner_id, share.company_user.customer_id):
        raise NotFound("This grant does not exist or is not yours.")
    return share
