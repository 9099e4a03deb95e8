"""A cart's activity log. NOT MOUNTED YET: needs the `discuss` branch's activity selector
(cartshare/activity/selectors.py: activity_list(cart=, actor=), newest first, checking
CartAction.VIEW for owner, full access and read-only)."""

import uuid

from django.http import HttpRequest
from ninja import Query, Router

from cartshare.activity import selectors as activity_selectors
from cartshare.api.auth import caller
from cartshare.api.pagination import PageParams, paginate
from cartshare.api.schemas import ActivityPage, Problem
from cartshare.carts.selectors import cart_get_for

router = Router(tags=["activity"])


def activity_payload(entry) -> dict:
    actor = entry.actor
    return {
        "id": entry.pk,
        "actor": {"id": actor.pk, "name": actor.name} if actor else None,
        "verb": entry.verb,
        "details": entry.details,
        "created_at": entry.created_at,
    }


@router.get(
    "/carts/{cart_id}/activity",
    response={200: ActivityPage, 403: Problem, 404: Problem},
    summary="Who changed what, newest first (owner, full access, read-only)",
)
def activity_list(request: HttpRequest, cart_id: uuid.UUID, page: Query[PageParams]):
    cart = cart_get_for(caller(request), cart_id)
    entries = activity_selectors.activity_list(cart=cart, actor=caller(request))
    result = paginate(request, entries, page)
    result["results"] = [activity_payload(entry) for entry in result["results"]]
    return result
