"""Money in words: integer minor units and a currency code, never floats."""

CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}


def money_format(minor_units: int | None, currency: str = "EUR") -> str:
    """1299, "EUR" -> "€12.99"."""
    amount = int(minor_units or 0)
    sign = "-" if amount < 0 else ""
    major, minor = divmod(abs(amount), 100)
    symbol = CURRENCY_SYMBOLS.get(currency, f"{currency} ")
    return f"{sign}{symbol}{major:,}.{minor:02d}"
