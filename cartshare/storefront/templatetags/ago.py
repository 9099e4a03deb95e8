"""How long ago something happened, as a sentence part: "3 minutes ago" / "vor 3 Minuten".

Django's `timesince` gives the duration alone ("2 days"); German puts it after "vor" in the
dative ("vor 2 Tagen"), so the units are words of their own here (context "time ago")."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import npgettext_lazy

register = template.Library()

# Lazy, as Django's own TIME_STRINGS are: timesince formats them with the count.
AGO_STRINGS: dict[str, Any] = {
    "year": npgettext_lazy("time ago", "%(num)d year", "%(num)d years", "num"),
    "month": npgettext_lazy("time ago", "%(num)d month", "%(num)d months", "num"),
    "week": npgettext_lazy("time ago", "%(num)d week", "%(num)d weeks", "num"),
    "day": npgettext_lazy("time ago", "%(num)d day", "%(num)d days", "num"),
    "hour": npgettext_lazy("time ago", "%(num)d hour", "%(num)d hours", "num"),
    "minute": npgettext_lazy("time ago", "%(num)d minute", "%(num)d minutes", "num"),
}


@register.filter
def ago(value: datetime.datetime | None) -> str:
    """A past moment: "3 minutes ago" (en), "vor 3 Minuten" (de)."""
    if value is None:
        return ""
    return _("%(time)s ago") % {"time": timesince(value, time_strings=AGO_STRINGS)}
