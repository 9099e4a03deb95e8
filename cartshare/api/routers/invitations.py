"""Sending a cart's link by e-mail (API.md, "Invitations"): the owner, at most 20 addresses a
call, internal options only to active colleagues of the unit; rate-limited per owner."""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from ninja import Router, Status

from cartshare.api.auth import caller
from cartshare.api.schemas import InvitationIn, InvitationOut, Problem
from cartshare.carts.selectors import cart_get_for
from cartshare.sharing.invitations import cart_invitations_send

router = Router(tags=["sharing"])


@router.post(
    "/carts/{cart_id}/invitations",
    response={202: InvitationOut, 403: Problem, 404: Problem, 409: Problem, 429: Problem},
    summary="E-mail the cart's link of an option to people (owner)",
)
def send_invitations(request: HttpRequest, cart_id: uuid.UUID, payload: InvitationIn) -> Status:
    """202: the mails are queued; `refused` lists the addresses the rules do not allow, each
    with the reason (an internal link to someone outside the owner's unit, say)."""
    cart = cart_get_for(caller(request), cart_id)
    result = cart_invitations_send(
        cart=cart,
        actor=caller(request),
        emails=payload.emails,
        share_option=payload.share_option,
        message=payload.message,
        proposal=payload.proposal,
    )
    refused = [{"email": email, "reason": reason} for email, reason in result.refused]
    return Status(202, {"sent": result.sent, "refused": refused})
