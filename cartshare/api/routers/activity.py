"""A cart's activity log, newest first. Reading it needs the right to take part in the
discussion (the policy's COMMENT action: owner, full access, read-only; never a preview)."""

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from cartshare.access.policies import CartAction
from cartshare.activity import selectors as activity_selectors
from cartshare.activity.models import CartActivity
from cartshare.activity.presenters import activity_present
from cartshare.api.auth import caller
from cartshare.api.pagination import PageParams, paginate
from cartshare.api.schemas import ActivityPage, Problem
from cartshare.carts.selectors import cart_get_for

router = Router(tags=["activity"])


def activity_payload(entry: CartActivity) -> dict[str, Any]:
    actor = entry.actor
    return {
        "id": entry.pk,
        "actor": {"id": actor.pk, "name": actor.name} if actor is not None else None,
        "verb": entry.verb,
        "details": entry.details if isinstance(entry.details, dict) else {},
        "text": activity_present(entry).sentence,
        "created_at": entry.created_at,
    }


@router.get(
    "/carts/{cart_id}/activity",
    response={200: ActivityPage, 403: Problem, 404: Problem},
    summary="Who changed what, newest first (owner, full access, read-only)",
)
def list_activity(
    request: HttpRequest, cart_id: uuid.UUID, page: Query[PageParams]
) -> dict[str, Any]:
    cart = cart_get_for(caller(request), cart_id, action=CartAction.COMMENT)
    result = paginate(request, activity_selectors.activity_list(cart), page)
    result["results"] = [activity_payload(entry) for entry in result["results"]]
    return result
