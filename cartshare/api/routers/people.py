"""The caller, their colleagues, and the permission groups they can share with."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from cartshare.access.policies import LEVEL_DESCRIPTIONS
from cartshare.accounts.selectors import colleagues_list, company_user_of
from cartshare.api.auth import caller
from cartshare.api.pagination import PageParams, paginate
from cartshare.api.presenters import me_payload
from cartshare.api.schemas import CompanyUserPage, MeOut, PermissionGroupPage, Problem
from cartshare.sharing.models import AccessLevel, SharePermission

router = Router(tags=["people"])


@router.get("/me", response=MeOut, summary="Who I am")
def get_me(request: HttpRequest) -> dict[str, Any]:
    customer = caller(request)
    return me_payload(customer, company_user_of(customer))


@router.get(
    "/company-users",
    response={200: CompanyUserPage, 403: Problem},
    summary="The active colleagues of my business unit (company users only)",
)
def list_company_users(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    colleagues = colleagues_list(caller(request))
    result = paginate(request, colleagues, page)
    result["results"] = [
        {"id": colleague.pk, "name": colleague.customer.name, "email": colleague.customer.email}
        for colleague in result["results"]
    ]
    return result


@router.get(
    "/cart-permission-groups",
    response=PermissionGroupPage,
    summary="The levels a cart can be shared with",
)
def list_cart_permission_groups(request: HttpRequest) -> dict[str, Any]:
    return {
        "results": [
            {
                "name": permission.value,
                "label": permission.label,
                "description": LEVEL_DESCRIPTIONS[AccessLevel(permission.value)],
            }
            for permission in SharePermission
        ],
        "next": None,
    }
