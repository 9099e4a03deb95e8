"""Money, dates and numbers in the reader's language (cartshare/common/locales.py, money.py)
and the template filters that write them (storefront/templatetags/shop.py)."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from cartshare.accounts.models import Customer
from cartshare.common.locales import date_format, datetime_format, number_format
from cartshare.common.money import money_format

NBSP = "\N{NO-BREAK SPACE}"
MOMENT = datetime.datetime(2026, 12, 1, 14, 5, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("language", "minor", "currency", "expected"),
    [
        ("en", 990, "EUR", "€9.90"),
        ("de", 990, "EUR", f"9,90{NBSP}€"),
        ("en", 100550, "EUR", "€1,005.50"),
        ("de", 100550, "EUR", f"1.005,50{NBSP}€"),
        ("en", -250, "EUR", "-€2.50"),
        ("de", -250, "EUR", f"-2,50{NBSP}€"),
        ("en", 1299, "USD", "$12.99"),
        ("de", 1299, "GBP", f"12,99{NBSP}£"),
        ("en", 1500, "JPY", "¥1,500"),  # JPY has no minor unit
        ("en", None, "EUR", "€0.00"),
    ],
)
def test_money_is_written_in_the_active_language(language, minor, currency, expected):
    with translation.override(language):
        assert money_format(minor, currency) == expected


def test_money_takes_an_explicit_language_over_the_active_one():
    with translation.override("en"):
        assert money_format(990, "EUR", locale="de") == f"9,90{NBSP}€"


def test_money_is_exact_for_amounts_a_float_would_round():
    # 2**53 + 1 cents: a float of the amount in euros loses the last cent.
    with translation.override("en"):
        assert money_format(2**53 + 1, "EUR") == "€90,071,992,547,409.93"


def test_dates_and_numbers_follow_the_language():
    with translation.override("de"):
        assert date_format(MOMENT) == "1. Dez. 2026"
        assert datetime_format(MOMENT) == "1. Dez. 2026, 14:05"
        assert datetime_format(MOMENT, zone=True) == "1. Dez. 2026, 14:05 UTC"
        assert number_format(12345) == "12.345"
        assert number_format(Decimal("1234.5")) == "1.234,5"
    with translation.override("en"):
        assert date_format(datetime.date(2026, 12, 1)) == "Dec 1, 2026"
        assert datetime_format(MOMENT) == "Dec 1, 2026, 14:05"
        assert number_format(12345) == "12,345"
    assert date_format(None) == datetime_format(None) == number_format(None) == ""


def test_the_template_filters_write_the_active_language():
    template = Template(
        "{% load shop %}{{ cents|money:'EUR' }}|{{ when|shop_date }}|{{ when|shop_datetime }}"
        "|{{ when|shop_datetime:'zone' }}|{{ count|shop_number }}"
    )
    context = Context({"cents": 990, "when": MOMENT, "count": 4321})
    with translation.override("de"):
        assert template.render(context) == (
            f"9,90{NBSP}€|1. Dez. 2026|1. Dez. 2026, 14:05|1. Dez. 2026, 14:05 UTC|4.321"
        )
    with translation.override("en"):
        assert template.render(context) == (
            "€9.90|Dec 1, 2026|Dec 1, 2026, 14:05|Dec 1, 2026, 14:05 UTC|4,321"
        )


def test_a_customer_language_is_blank_or_one_of_the_languages():
    field = Customer._meta.get_field("language")
    assert field.blank and field.default == ""
    assert [code for code, _ in field.choices] == ["en", "de"]


@pytest.mark.django_db
def test_accept_language_picks_german_and_the_answer_says_so(client):
    answer = client.get("/", headers={"accept-language": "de-DE,de;q=0.9,en;q=0.5"})
    assert answer.status_code == 200
    assert answer["Content-Language"] == "de"
    assert '<html lang="de">' in answer.content.decode()


@pytest.mark.django_db
def test_without_accept_language_the_shop_is_english(client):
    answer = client.get("/")
    assert answer.status_code == 200
    assert answer["Content-Language"] == "en"
    assert '<html lang="en">' in answer.content.decode()
