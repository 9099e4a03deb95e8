"""`{% load live %}{% live_last_change cart as change %}`: the cart's newest activity entry
(who did what) for the pages that follow a cart live (live.js names who made a change), or None
when the viewer may not see the log (the policy: previews never do)."""

from __future__ import annotations

from django import template
from django.template import Context

from cartshare.access.policies import activities_visible_to
from cartshare.activity.presenters import ActivityEntry, activity_present
from cartshare.activity.selectors import activity_visible_to
from cartshare.carts.models import Cart

register = template.Library()


@register.simple_tag(takes_context=True)
def live_last_change(context: Context, cart: Cart) -> ActivityEntry | None:
    user = context["request"].user
    if not activity_visible_to(user if user.is_authenticated else None, cart):
        return None
    # The newest entry the viewer may read (the policy's: a request they cannot see is none).
    activity = activities_visible_to(user, cart).order_by("-id").first()
    return activity_present(activity) if activity is not None else None
