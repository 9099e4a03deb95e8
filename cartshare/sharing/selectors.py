"""Reading grants, links and the colleagues a cart can be shared with, each in one query.
Which grants count and who is a colleague is the policy's (`cartshare.access.policies`)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from cartshare.access.policies import (
    GRANT_NOT_FOUND,
    Actor,
    access_requests_that_count,
    colleagues_of,
    grants_managed_by,
    grants_that_count,
)
from cartshare.accounts.models import Customer
from cartshare.carts.models import Cart
from cartshare.common.errors import NotFound
from cartshare.sharing.models import AccessRequestStatus, CartShare, ShareLink, SharePermission


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


def colleagues_for_sharing(owner: Customer, cart: Cart | None = None) -> list[Colleague]:
    """The share page's rows: every colleague and their level on `cart` (None: no access)."""
    users = colleagues_of(owner)
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


def cart_shares_list(cart: Cart) -> list[CartShare]:
    """The cart's grants that count now, by the grantees' names. Grants of people who left the
    unit stay in the table, inert, until the owner removes them."""
    return list(
        grants_that_count()
        .filter(cart_id=cart.pk)
        .select_related("company_user__customer", "cart")
        .order_by("company_user__customer__name", "pk")
    )


def cart_share_get_for(actor: Actor, share_id: object) -> CartShare:
    """A grant the actor may manage or dismiss: the cart's owner's, or the grantee's own."""
    try:
        pk = int(str(share_id))
    except ValueError:
        raise NotFound(GRANT_NOT_FOUND) from None
    share = (
        grants_managed_by(actor)
        .select_related("cart__owner", "company_user__customer")
        .filter(pk=pk)
        .first()
    )
    if share is None:
        raise NotFound(GRANT_NOT_FOUND)
    return share


def share_links_current(cart: Cart) -> dict[str, ShareLink]:
    """The cart's current (not revoked) link per option, with its open counts."""
    return {
        link.share_option: link
        for link in ShareLink.objects.filter(cart=cart, revoked_at__isnull=True).select_related(
            "stats"
        )
    }


@dataclass(frozen=True)
class SharingCounts:
    """How a cart is shared, in numbers (the cart page's share line): the grants that count
    (`cart_shares_list`'s), the current links that have not expired (`share_links_current`'s,
    `ShareLink.is_expired`), and the pending access requests that count."""

    people: int
    links: int
    pending_requests: int


def _count_of(rows: QuerySet) -> Coalesce:
    counted = rows.order_by().values("cart_id").annotate(count=Count("pk")).values("count")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def cart_sharing_counts(cart: Cart) -> SharingCounts:
    """The three counts in one query."""
    now = timezone.now()
    counts = (
        Cart.objects.filter(pk=cart.pk)
        .values(
            people=_count_of(grants_that_count().filter(cart_id=OuterRef("pk"))),
            links=_count_of(
                ShareLink.objects.filter(cart_id=OuterRef("pk"), revoked_at__isnull=True).filter(
                    Q(expires_at__isnull=True) | Q(expires_at__gt=now)
                )
            ),
            pending=_count_of(
                access_requests_that_count().filter(
                    cart_id=OuterRef("pk"), status=AccessRequestStatus.PENDING
                )
            ),
        )
        .first()
    )
    if counts is None:
        return SharingCounts(0, 0, 0)
    return SharingCounts(counts["people"], counts["links"], counts["pending"])
