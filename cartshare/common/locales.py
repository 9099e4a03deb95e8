"""The active language as a Babel locale, and dates and numbers written in it.

Everything here follows Django's active language (LocaleMiddleware sets it per request;
`translation.override` in mails and tasks); an explicit `language` wins.
"""

import datetime
from decimal import Decimal

from babel import Locale
from babel.dates import format_skeleton, format_time
from babel.numbers import format_decimal
from django.conf import settings
from django.utils import timezone, translation


def babel_locale(language: str | None = None) -> Locale:
    """A language code as a Babel locale: "de" -> Locale("de"); None -> the active language
    (LANGUAGE_CODE when none is active)."""
    code = language or translation.get_language() or settings.LANGUAGE_CODE
    return Locale.parse(translation.to_locale(code))


def date_format(value: datetime.date | None, language: str | None = None) -> str:
    """A day, medium length: "Dec 1, 2026" (en), "1. Dez. 2026" (de). Aware datetimes are
    shown on the day they fall on in the current time zone."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return format_skeleton("yMMMd", value, locale=babel_locale(language))


def datetime_format(
    value: datetime.datetime | None, language: str | None = None, *, zone: bool = False
) -> str:
    """A moment to the minute: "Dec 1, 2026, 14:05" (en), "1. Dez. 2026, 14:05" (de), 24-hour
    clock in both; `zone` adds the time zone's name ("… 14:05 UTC")."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    locale = babel_locale(language)
    day = format_skeleton("yMMMd", value, locale=locale)
    clock = format_time(value, "HH:mm", locale=locale)
    text = str(locale.datetime_formats["medium"]).format(clock, day)
    if zone and timezone.is_aware(value):
        text = f"{text} {value.tzname()}"
    return text


def number_format(value: int | Decimal | None, language: str | None = None) -> str:
    """A count: 12345 -> "12,345" (en), "12.345" (de). Integers and Decimals only, never floats."""
    if value is None:
        return ""
    return format_decimal(value, locale=babel_locale(language))
