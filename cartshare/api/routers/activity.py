"""A cart's activity log, newest first. Reading it needs the right to take part in the
discussion (the policy's COMMENT action: owner, full access, read-only; never a preview), and
its entries are those the policy shows the caller (`activities_visible_to`: access requests'
only to whoever answers them, and the requester's own)."""

import uuid

from django.http import HttpRequest
from ninja import Query, Router

from cartshare.access.policies import CartAction
from cartshare.activity import selectors as activity_selectors
from cartshare.activity.models import CartActivity
from cartshare.api.auth import caller
from cartshare.api.pagination import Page, PageParams, paginate
from cartshare.api.schemas import ActivityPage, Problem
from cartshare.carts.selectors import cart_get_for

router = Router(tags=["activity"])


@router.get(
    "/carts/{cart_id}/activity",
    response={200: ActivityPage, 403: Problem, 404: Problem},
    summary="Who changed what, newest first (owner, full access, contributor, read-only)",
)
def list_activity(
    request: HttpRequest, cart_id: uuid.UUID, page: Query[PageParams]
) -> Page[CartActivity]:
    cart = cart_get_for(caller(request), cart_id, action=CartAction.COMMENT, with_items=False)
    return paginate(request, activity_selectors.activity_list(caller(request), cart), page)
