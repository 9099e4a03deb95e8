"""Sending a cart's link by e-mail from the Share panel (spec §12), and a sales
representative's "send as a proposal". The mails are written to the outbox in this
transaction; the worker sends them (cartshare/notifications)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cartshare.access.policies import (
    CartAction,
    ensure_can,
    ensure_share_option_allowed,
    invitation_refusal,
)
from cartshare.accounts.models import Customer
from cartshare.carts.models import Cart
from cartshare.common.errors import InvalidInput, RateLimited
from cartshare.common.locales import number_format
from cartshare.common.ratelimit import rate_limit_hit
from cartshare.common.text import control_characters_in
from cartshare.notifications.outbox import mail_queue, site_url
from cartshare.sharing.link_services import share_link_get_or_create, share_option_parse
from cartshare.sharing.models import ShareOption

MAX_INVITATIONS = 20
MAX_MESSAGE_LENGTH = 500
INVITATION_MAIL = "invitation"
INVITATION_SCOPE = "invitations"


@dataclass
class InvitationResult:
    sent: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (address, reason)


def invitation_addresses_parse(value: object) -> list[str]:
    """A list of addresses (API) or one text of them separated by commas, semicolons, blanks or
    line breaks (the form); trimmed, lower-cased, each once, in the order given: 1 to 20."""
    if isinstance(value, str):
        items: Iterable[object] = value.replace(";", ",").replace("\n", ",").split(",")
        items = [word for item in items for word in str(item).split()]
    elif isinstance(value, list | tuple):
        items = value
    else:
        items = []
    addresses: list[str] = []
    for item in items:
        address = str(item).strip().lower() if isinstance(item, str) else ""
        if address and address not in addresses:
            addresses.append(address)
    if not addresses:
        message = _("Enter at least one e-mail address.")
        raise InvalidInput(message, errors={"emails": [message]})
    if len(addresses) > MAX_INVITATIONS:
        message = _("Send to at most %(limit)s addresses at a time (%(count)s given).") % {
            "limit": MAX_INVITATIONS,
            "count": len(addresses),
        }
        raise InvalidInput(message, errors={"emails": [message]})
    return addresses


def invitation_message_clean(value: object) -> str:
    text = value.replace("\r\n", "\n").strip() if isinstance(value, str) else ""
    if len(text) > MAX_MESSAGE_LENGTH:
        message = _("The message can have at most %(limit)s characters.") % {
            "limit": number_format(MAX_MESSAGE_LENGTH)
        }
        raise InvalidInput(message, errors={"message": [message]})
    if found := control_characters_in(text, allowed="\n"):
        message = _("The message cannot hold control characters (found: %(found)s).") % {
            "found": ", ".join(found)
        }
        raise InvalidInput(message, errors={"message": [message]})
    return text


def _ensure_not_too_often(actor: Customer) -> None:
    decision = rate_limit_hit(
        scope=INVITATION_SCOPE,
        key=str(actor.pk),
        rate=settings.CARTSHARE_INVITATION_RATE_LIMIT,
    )
    if not decision.allowed:
        raise RateLimited(
            ngettext(
                "You sent many invitations in a short time. Wait %(seconds)s second, "
                "then try again.",
                "You sent many invitations in a short time. Wait %(seconds)s seconds, "
                "then try again.",
                decision.retry_after,
            )
            % {"seconds": decision.retry_after},
            retry_after=decision.retry_after,
        )


@transaction.atomic
def cart_invitations_send(
    *,
    cart: Cart,
    actor: Customer,
    emails: object,
    share_option: object,
    message: object = "",
    proposal: bool = False,
) -> InvitationResult:
    """E-mail the cart's current link of `share_option` (made if there is none) to each address
    the policy allows; the others are refused with the reason. As a proposal (preview only) the
    mail carries the cart's note, and copies of the cart will keep it and name the preparer."""
    ensure_can(actor, CartAction.SHARE, cart)
    option = share_option_parse(share_option)
    ensure_share_option_allowed(cart.owner, option)
    if proposal and option != ShareOption.PREVIEW:
        text = _("A proposal is sent as a preview link: choose the preview option.")
        raise InvalidInput(text, errors={"share_option": [text]})
    addresses = invitation_addresses_parse(emails)
    note = invitation_message_clean(message)
    _ensure_not_too_often(actor)
    link, _url, _created = share_link_get_or_create(
        cart=cart, actor=actor, share_option=option, base_url=site_url()
    )
    if proposal and not cart.is_proposal:
        Cart.objects.filter(pk=cart.pk).update(is_proposal=True)
        cart.is_proposal = True
    result = InvitationResult()
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            result.refused.append((address, _("This is not an e-mail address.")))
            continue
        if reason := invitation_refusal(actor, option, address):
            result.refused.append((address, reason))
            continue
        recipient = Customer.objects.filter(email__iexact=address, is_active=True).first()
        subject = (
            f"{actor.name} prepared a proposal for you: '{cart.name}'"
            if proposal
            else f"{actor.name} invited you to the cart '{cart.name}'"
        )
        mail_queue(
            kind=INVITATION_MAIL,
            to_address=address,
            subject=subject,
            recipient=recipient,
            cart=cart,
            context={
                "cart_id": str(cart.pk),
                "cart_name": cart.name,
                "actor_name": actor.name,
                "link_id": link.pk,
                "share_option": option.value,
                "message": note,
                "proposal": proposal,
                "note": cart.note if proposal else "",
            },
        )
        result.sent.append(address)
    return result
