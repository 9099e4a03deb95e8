"""`{% load sharing_links %}{% share_panel cart %}`: the owner's Share panel (spec §5), for the
cart page and the "Share by link" page. Renders nothing for anyone who may not manage links."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import segno
from django import template
from django.utils import timezone
from django.utils.translation import gettext_lazy

from cartshare.access.policies import (
    CartAction,
    business_unit_of,
    can,
    colleagues_of,
    share_options_for,
)
from cartshare.carts.models import Cart
from cartshare.sharing.link_services import share_links_revoked_recently
from cartshare.sharing.models import ShareLink, ShareOption
from cartshare.sharing.selectors import share_links_current
from cartshare.sharing.tokens import base_url_for, share_link_url
from cartshare.storefront.link_forms import (
    EXPIRY_CHOICES,
    expiry_choices_for,
    expiry_initial,
    expiry_latest_date,
    time_zone_name,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

register = template.Library()

OPTION_DESCRIPTIONS = {
    ShareOption.PREVIEW: gettext_lazy(
        "Anyone with this link can see the items and totals, without logging in."
    ),
    ShareOption.READ_ONLY: gettext_lazy(
        "Colleagues in %(unit)s can view this cart and comment on it."
    ),
    ShareOption.CONTRIBUTOR: gettext_lazy(
        "Colleagues in %(unit)s can add items and change or remove the items they added."
    ),
    ShareOption.FULL_ACCESS: gettext_lazy(
        "Colleagues in %(unit)s can change the items and place the order."
    ),
}


@dataclass(frozen=True)
class SharePanelRow:
    """One option of the panel, with its current link if any."""

    option: ShareOption
    description: str
    link: ShareLink | None
    url: str | None
    open_count: int
    last_opened_at: datetime | None
    is_expired: bool
    expiry_choice: str
    expiry_date: str
    expiry_choices: list[tuple[str, StrOrPromise]]
    restorable_id: int | None  # revoked seconds ago: the dialog offers Undo


def qr_svg_document(url: str, label: str) -> bytes:
    """The QR code as an SVG file (`/links/<id>/qr.svg`), for the share dialog's "QR code"."""
    code = segno.make(url, error="m")
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", scale=4, border=2, dark="#1c2430", light="#ffffff", title=label)
    return buffer.getvalue()


def _row(
    option: ShareOption,
    link: ShareLink | None,
    unit_name: str,
    base_url: str,
    restorable_id: int | None = None,
) -> SharePanelRow:
    stats = getattr(link, "stats", None) if link else None
    url = share_link_url(link, base_url) if link else None
    choice, day = expiry_initial(link.expires_at if link else None)
    return SharePanelRow(
        option=option,
        description=str(OPTION_DESCRIPTIONS[option]) % {"unit": unit_name},
        link=link,
        url=url,
        open_count=stats.open_count if stats else 0,
        last_opened_at=stats.last_opened_at if stats else None,
        is_expired=bool(link and link.is_expired()),
        expiry_choice=choice,
        expiry_date=day,
        expiry_choices=expiry_choices_for(link.expires_at if link else None),
        restorable_id=None if link else restorable_id,
    )


@register.inclusion_tag("storefront/links/panel.html", takes_context=True)
def share_panel(context: dict[str, Any], cart: Cart) -> dict[str, Any]:
    request = context["request"]
    rows: list[SharePanelRow] = []
    unit_name = ""
    colleagues: list[tuple[str, str]] = []
    if can(request.user, CartAction.SHARE, cart):
        colleagues = [
            (user.customer.name, user.customer.email) for user in colleagues_of(cart.owner)
        ]
    if can(request.user, CartAction.MANAGE_LINKS, cart):
        current = share_links_current(cart)
        revoked = (
            share_links_revoked_recently(cart) if can(request.user, CartAction.SHARE, cart) else {}
        )
        unit = business_unit_of(cart.owner)
        unit_name = unit.name if unit else ""
        base_url = base_url_for(request)
        rows = [
            _row(option, current.get(option), unit_name, base_url, revoked.get(option))
            for option in share_options_for(cart.owner)
        ]
    return {
        "cart": cart,
        "rows": rows,
        "can_share": can(request.user, CartAction.SHARE, cart),
        "options": share_options_for(cart.owner),
        "colleagues": colleagues,
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path(),
        "expiry_choices": EXPIRY_CHOICES,
        "today": timezone.localdate().isoformat(),
        "latest": expiry_latest_date().isoformat(),
        "time_zone": time_zone_name(),
        "unit_name": unit_name,
    }
