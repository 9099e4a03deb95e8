"""Money in words: integer minor units and a currency code, never floats.

Written in the active language's conventions (Babel, CLDR data): "€9.90" in English,
"9,90 €" in German (with a no-break space before the symbol, so the amount never wraps away
from it). The currency stays the cart's; only the way it is written follows the reader.
"""

from decimal import Decimal

from babel.numbers import format_currency, get_currency_precision

from cartshare.common.locales import babel_locale


def money_format(minor_units: int | None, currency: str = "EUR", locale: str | None = None) -> str:
    """1299, "EUR" -> "€12.99" (en) or "12,99 €" (de). `locale` (a language code such as "de")
    overrides the active language, e.g. for a mail in its recipient's language."""
    amount = int(minor_units or 0)
    # Minor units per ISO 4217 (2 for EUR, 0 for JPY): exact Decimal arithmetic.
    major = Decimal(amount).scaleb(-get_currency_precision(currency))
    return format_currency(major, currency, locale=babel_locale(locale))
