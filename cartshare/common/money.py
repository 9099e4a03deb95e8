"""Money in words: integer minor units and a currency code, never floats.

Written in the active language's conventions (Babel, CLDR data): "€9.90" in English,
"9,90 €" in German (with a no-break space before the symbol, so the amount never wraps away
from it). The currency stays the cart's; only the way it is written follows the reader.
"""

from decimal import Decimal
from functools import lru_cache

from babel.numbers import format_currency, get_currency_precision
from django.conf import settings
from django.utils import translation

from cartshare.common.locales import babel_locale


def money_format(minor_units: int | None, currency: str = "EUR", locale: str | None = None) -> str:
    """1299, "EUR" -> "€12.99" (en) or "12,99 €" (de). `locale` (a language code such as "de")
    overrides the active language, e.g. for a mail in its recipient's language."""
    code = locale or translation.get_language() or settings.LANGUAGE_CODE
    return _money_written(int(minor_units or 0), currency, code)


# A cart page writes two amounts a line, and Babel takes ~20 µs for each: the same amount in the
# same currency and language is always written the same way, so it is written once (a few
# thousand recent ones: prices repeat, and the cache stays small).
@lru_cache(maxsize=4096)
def _money_written(amount: int, currency: str, language: str) -> str:
    # Minor units per ISO 4217 (2 for EUR, 0 for JPY): exact Decimal arithmetic.
    major = Decimal(amount).scaleb(-get_currency_precision(currency))
    return format_currency(major, currency, locale=babel_locale(language))
