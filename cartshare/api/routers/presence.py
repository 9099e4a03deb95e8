"""Who has a cart open now (API.md "Live events"): the owner and grantees; the same viewers the
event streams' `presence` events carry."""

import uuid

from django.http import HttpRequest
from ninja import Router

from cartshare.api.auth import caller
from cartshare.api.schemas import Presence, PresenceOut, Problem
from cartshare.carts.selectors import cart_get_for
from cartshare.live.presence import viewers_of

router = Router(tags=["live"])


@router.get(
    "/carts/{cart_id}/presence",
    response={200: PresenceOut, 404: Problem},
    summary="Who has the cart open now (owner and grantees; preview visitors are never shown)",
)
def cart_presence(request: HttpRequest, cart_id: uuid.UUID) -> Presence:
    cart = cart_get_for(caller(request), cart_id, with_items=False)
    return Presence(viewers=viewers_of(cart.pk))
