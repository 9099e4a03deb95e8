"""Template filters for money and quantities."""

from django import template

register = template.Library()

CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}


@register.filter
def money(minor_units: int | None, currency: str = "EUR") -> str:
    """1299, "EUR" -> "€12.99" (integer arithmetic, never floats)."""
    amount = int(minor_units or 0)
    sign = "-" if amount < 0 else ""
    major, minor = divmod(abs(amount), 100)
    symbol = CURRENCY_SYMBOLS.get(currency, f"{currency} ")
    return f"{sign}{symbol}{major:,}.{minor:02d}"
