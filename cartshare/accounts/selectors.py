"""Reading people and their organisation."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cartshare.access.policies import colleagues_of
from cartshare.accounts.models import CompanyUser, Customer
from cartshare.common.errors import PermissionDenied


def company_user_of(customer: Customer) -> CompanyUser | None:
    """The customer's active company user with unit and company, or None (B2C, deactivated)."""
    return (
        CompanyUser.objects.select_related("business_unit__company")
        .filter(customer_id=customer.pk, is_active=True)
        .first()
    )


def colleagues_list(customer: Customer) -> QuerySet[CompanyUser]:
    """The other active company users of the customer's business unit."""
    if company_user_of(customer) is None:
        raise PermissionDenied(
            _("Only company users have colleagues; your account has no company.")
        )
    return colleagues_of(customer)
