"""`{% load script_strings %}{% script_strings %}`: the words share.js and live.js show (Copied,
banners, notices), in the visitor's language, as a JSON block the scripts read
(`<script type="application/json" id="script-strings">`). One way for every script, so that no
JavaScript catalog view is needed; a page that loads live.js or share.js renders this first.
Placeholders are gettext's (`%(name)s`); the scripts fill them in. The banner after a change of
access names the viewer's level as it is now, on the page the change reloaded."""

from __future__ import annotations

from django import template
from django.template import Context
from django.utils.html import json_script
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from cartshare.access.policies import access_level
from cartshare.carts.models import Cart
from cartshare.storefront.wording import level_in_sentence

register = template.Library()

ELEMENT_ID = "script-strings"

SCRIPT_STRINGS = {
    # share.js
    "link_copied": _("Link copied."),
    "copy_by_hand": _("Press Ctrl+C (or ⌘C) to copy the selected link."),
    "close": _("Close"),
    # live.js
    "show_changes": _("Show the changes"),
    "input_kept": _("Someone changed this cart while you were typing; your input is kept."),
    "updated_by": _("Updated just now: %(name)s changed this cart."),
    "updated": _("Updated just now."),
    "updated_by_someone": _("Updated just now: someone else changed this cart."),
    "just_ordered": _("This cart has just been ordered: it can no longer be changed."),
    "no_longer_visible": _("You can no longer see this cart."),
    "also_looking": _("Also looking at this cart now: %(names)s"),
}


@register.simple_tag(takes_context=True)
def script_strings(context: Context, cart: Cart | None = None) -> SafeString:
    """`{% script_strings cart %}` on a page that follows `cart` (the level, the policy's)."""
    strings = {key: str(text) for key, text in SCRIPT_STRINGS.items()}
    user = context["request"].user
    level = access_level(user if user.is_authenticated else None, cart) if cart else None
    if level is not None:
        strings["access_changed"] = _(
            "Your access to this cart changed: you now have %(level)s."
        ) % {"level": level_in_sentence(level)}
    return json_script(strings, ELEMENT_ID)
