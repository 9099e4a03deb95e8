"""`{% load live_words %}<div ... data-live-events=...{% live_words cart %}>`: the words live.js
shows (notices, banners), in the visitor's language, as `data-live-text-<name>` attributes of the
live status element, as its other settings are (`data-live-ended-text`). The scripts take every
word they show from the markup they act on: share.js's from its copy buttons and the link that
opens the dialog. Placeholders are gettext's (`%(name)s`); live.js fills them in. The banner
after a change of access names the viewer's level as it is now, on the page the change
reloaded (the policy's level)."""

from __future__ import annotations

from django import template
from django.template import Context
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cartshare.access.policies import access_level
from cartshare.carts.models import Cart
from cartshare.storefront.wording import level_in_sentence

register = template.Library()

LIVE_WORDS = {
    "show-changes": gettext_lazy("Show the changes"),
    "input-kept": gettext_lazy(
        "Someone changed this cart while you were typing; your input is kept."
    ),
    "updated-by": gettext_lazy("Updated just now: %(name)s changed this cart."),
    "updated": gettext_lazy("Updated just now."),
    "updated-by-someone": gettext_lazy("Updated just now: someone else changed this cart."),
    "ordered": gettext_lazy("This cart has just been ordered: it can no longer be changed."),
    "ended": gettext_lazy("You can no longer see this cart."),
    "also-looking": gettext_lazy("Also looking at this cart now: %(names)s"),
}


@register.simple_tag(takes_context=True)
def live_words(context: Context, cart: Cart | None = None) -> SafeString:
    """The attributes, each with its leading space."""
    words = {name: str(text) for name, text in LIVE_WORDS.items()}
    user = context["request"].user
    level = access_level(user if user.is_authenticated else None, cart) if cart else None
    if level is not None:
        words["access-changed"] = _("Your access to this cart changed: you now have %(level)s.") % {
            "level": level_in_sentence(level)
        }
    attributes = format_html_join("", ' data-live-text-{}="{}"', words.items())
    return format_html("{}", attributes)
