"""The caller, their colleagues, and the permission groups they can share with."""

from django.http import HttpRequest
from ninja import Query, Router

from cartshare.accounts.models import CompanyUser
from cartshare.accounts.selectors import colleagues_list, company_user_of
from cartshare.api.auth import caller
from cartshare.api.pagination import Page, PageParams, paginate
from cartshare.api.schemas import CompanyUserPage, Me, MeOut, PermissionGroupPage, Problem
from cartshare.sharing.models import SharePermission

router = Router(tags=["people"])


@router.get("/me", response=MeOut, summary="Who I am")
def get_me(request: HttpRequest) -> Me:
    customer = caller(request)
    return Me(customer, company_user_of(customer))


@router.get(
    "/company-users",
    response={200: CompanyUserPage, 403: Problem},
    summary="The active colleagues of my business unit (company users only)",
)
def list_company_users(request: HttpRequest, page: Query[PageParams]) -> Page[CompanyUser]:
    return paginate(request, colleagues_list(caller(request)), page)


@router.get(
    "/cart-permission-groups",
    response=PermissionGroupPage,
    summary="The levels a cart can be shared with",
)
def list_cart_permission_groups(request: HttpRequest) -> Page[SharePermission]:
    return Page(results=list(SharePermission), next=None)
