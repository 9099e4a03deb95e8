"""`{% load sharing_links %}{% share_panel cart %}`: the owner's Share panel (spec §5), for the
cart page and the "Share by link" page. Renders nothing for anyone but the owner."""

from __future__ import annotations

from dataclasses import dataclass

import segno
from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from cartshare.sharing.links import SharePanelRow, base_url_for, share_panel_rows
from cartshare.sharing.policies import CartAction, can
from cartshare.storefront.link_forms import EXPIRY_CHOICES, expiry_initial, expiry_latest_date

register = template.Library()


@dataclass(frozen=True)
class PanelRow:
    row: SharePanelRow
    qr_svg: SafeString | None
    expiry_choice: str
    expiry_date: str


def qr_svg(url: str, label: str) -> SafeString:
    """The QR code as inline SVG, drawn here: nothing is loaded from anywhere."""
    svg = segno.make(url, error="m").svg_inline(
        scale=4,
        border=2,
        dark="#1c2430",
        light="#ffffff",
        title=label,
        svgclass="qr-code",
        omitsize=True,
    )
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # segno escapes the title


@register.inclusion_tag("storefront/links/panel.html", takes_context=True)
def share_panel(context, cart) -> dict:
    request = context["request"]
    rows = []
    for row in share_panel_rows(cart=cart, actor=request.user, base_url=base_url_for(request)):
        choice, day = expiry_initial(row.link.expires_at if row.link else None)
        label = f"QR code of the {row.option.label.lower()} link"
        rows.append(
            PanelRow(
                row=row,
                qr_svg=qr_svg(row.url, label) if row.url else None,
                expiry_choice=choice,
                expiry_date=day,
            )
        )
    return {
        "cart": cart,
        "rows": rows,
        "can_share": can(request.user, CartAction.SHARE, cart),
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path(),
        "expiry_choices": EXPIRY_CHOICES,
        "today": timezone.localdate().isoformat(),
        "latest": expiry_latest_date().isoformat(),
    }
