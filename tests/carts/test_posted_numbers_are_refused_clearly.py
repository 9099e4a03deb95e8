"""Numbers posted by the pages' forms (a quantity, the version the form was rendered from) are
refused with the form's message however many digits they have: found by fuzzing (tests/fuzz/).
Before, a version of 20 digits overflowed SQLite's integer (OverflowError) and any field of more
than 4,300 digits made int() raise ValueError: 500s instead of a message."""

import pytest
from django.urls import reverse

from cartshare.carts.services import quantity_parse
from cartshare.common.errors import InvalidInput
from cartshare.common.text import whole_number_parse
from cartshare.orders.models import Order
from tests.carts.helpers import messages_of, snapshot

pytestmark = pytest.mark.django_db

OUT_OF_DATE = "This form is out of date. Reload the page and try again."
QUANTITY_MESSAGE = "Quantity must be a whole number from 1 to 9,999."
HUGE = ["9" * 20, "2147483648", "9" * 4_301, "9" * 100_000]
HUGE_IDS = ["20 digits", "2**31", "4,301 digits", "100,000 digits"]


@pytest.mark.parametrize("digits", HUGE, ids=HUGE_IDS)
def test_whole_number_parse_refuses_numbers_beyond_the_maximum_without_raising(digits):
    assert whole_number_parse(digits, maximum=2**31 - 1) is None
    assert whole_number_parse(" 2147483647 ", maximum=2**31 - 1) == 2**31 - 1


@pytest.mark.parametrize("digits", HUGE, ids=HUGE_IDS)
def test_a_quantity_of_many_digits_is_refused_with_the_quantity_message(digits):
    with pytest.raises(InvalidInput, match="Quantity must be a whole number"):
        quantity_parse(digits)


@pytest.mark.parametrize("digits", HUGE, ids=HUGE_IDS)
def test_adding_a_quantity_of_many_digits_on_the_page_changes_nothing(world, digits):
    before = snapshot(world.trade_fair)
    response = world.logged_in_client(world.alice).post(
        reverse("storefront:cart_add"), {"sku": world.lamp.sku, "quantity": digits}
    )
    assert response.status_code == 302
    [message] = messages_of(response)
    assert message.endswith(QUANTITY_MESSAGE)
    assert snapshot(world.trade_fair) == before


@pytest.mark.parametrize("digits", HUGE, ids=HUGE_IDS)
@pytest.mark.parametrize("form", ["cart_update", "cart_clear", "cart_item_update"])
def test_a_form_version_no_cart_can_have_is_refused_as_out_of_date(world, form, digits):
    item = world.trade_fair.items.get(product=world.stapler)
    args = [world.trade_fair.pk, item.pk] if form == "cart_item_update" else [world.trade_fair.pk]
    fields = {"name": "Renamed", "quantity": "5", "version": digits}
    before = snapshot(world.trade_fair)
    response = world.logged_in_client(world.alice).post(
        reverse(f"storefront:{form}", args=args), fields
    )
    assert response.status_code == 302
    assert messages_of(response) == [OUT_OF_DATE]
    assert snapshot(world.trade_fair) == before


@pytest.mark.parametrize("digits", HUGE, ids=HUGE_IDS)
@pytest.mark.parametrize("step", ["cart_checkout_confirm", "cart_checkout_place"])
def test_a_checkout_version_of_many_digits_is_refused_with_a_message(world, step, digits):
    response = world.logged_in_client(world.alice).post(
        reverse(f"storefront:{step}", args=[world.trade_fair.pk]), {"version": digits}
    )
    assert response.status_code == 422
    assert b"The checkout form was incomplete" in response.content
    assert not Order.objects.exists()
    world.trade_fair.refresh_from_db()
    assert not world.trade_fair.is_ordered
