"""Template filters for money and quantities."""

from django import template

from cartshare.common.money import money_format

register = template.Library()


@register.filter
def money(minor_units: int | None, currency: str = "EUR") -> str:
    """1299, "EUR" -> "€12.99" (integer arithmetic, never floats)."""
    return money_format(minor_units, currency)
