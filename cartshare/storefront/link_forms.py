"""Parsing the share-link forms: the expiry select (never, 1/7/30 days, a date)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cartshare.common.errors import InvalidInput
from cartshare.common.locales import date_format, datetime_format

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

KEEP = "keep"
EXPIRY_CHOICES: list[tuple[str, StrOrPromise]] = [
    ("never", gettext_lazy("Never")),
    ("1", gettext_lazy("In 1 day")),
    ("7", gettext_lazy("In 7 days")),
    ("30", gettext_lazy("In 30 days")),
    ("date", gettext_lazy("At the end of the date below")),
]


def expiry_parse(data: QueryDict, *, current: datetime | None = None) -> datetime | None:
    """The expiry fields -> an aware datetime or None. A date means "valid through that day": the
    link expires at the following midnight, server time zone. The date field counts only when
    "At the end of the date below" is chosen (without JavaScript both fields are visible).
    "keep" (the choice a link with an expiry shows first) is `current` unchanged: re-saving a
    form nobody touched must not move the expiry to the end of its day (issue 14)."""
    choice = (data.get("expires") or "never").strip()
    if choice == KEEP:
        return current
    if choice == "never":
        return None
    if choice in {"1", "7", "30"}:
        return timezone.now() + timedelta(days=int(choice))
    if choice == "date":
        try:
            day = date.fromisoformat((data.get("expires_on") or "").strip())
        except ValueError:
            message = _("Enter the expiry date as YYYY-MM-DD, for example 2026-12-31.")
            raise InvalidInput(message, errors={"expires_on": [message]}) from None
        if day > expiry_latest_date():  # also keeps 9999-12-31 + 1 day from overflowing
            latest = date_format(expiry_latest_date())
            message = _(
                "A link can expire at most one year ahead: choose %(latest)s or earlier."
            ) % {"latest": latest}
            raise InvalidInput(message, errors={"expires_on": [message]})
        return datetime.combine(
            day + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone()
        )
    message = _("Choose when the link expires.")
    raise InvalidInput(message, errors={"expires": [message]})


def expiry_latest_date() -> date:
    """The last date a link may be valid through: a year from today (its end is then at most
    366 days away, the limit `cartshare.sharing.link_services` keeps)."""
    return timezone.localdate() + timedelta(days=365)


def expiry_initial(expires_at: datetime | None) -> tuple[str, str]:
    """The (choice, date) the fields show for a link's current expiry: "keep" it, with the date
    field on its last valid day for whoever picks "At the end of the date below"."""
    if expires_at is None:
        return "never", ""
    last_valid = timezone.localtime(expires_at) - timedelta(microseconds=1)
    return KEEP, last_valid.date().isoformat()


def expiry_choices_for(expires_at: datetime | None) -> list[tuple[str, StrOrPromise]]:
    """The select's choices for a link: "Unchanged (…)" first when it has an expiry."""
    if expires_at is None:
        return EXPIRY_CHOICES
    shown = datetime_format(expires_at, zone=True)
    return [(KEEP, _("Unchanged (%(when)s)") % {"when": shown}), *EXPIRY_CHOICES]


def time_zone_name() -> str:
    """The time zone the pages show expiry times in (the server's), e.g. "UTC"."""
    return timezone.get_current_timezone_name()
