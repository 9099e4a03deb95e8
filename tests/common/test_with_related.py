"""`common.rows.WithRelated`: a row and the row its foreign key points to, as the ORM's
`select_related` loads them, in SQL of our own (the cart read and the bearer token)."""

import uuid

import pytest
from django.db import connection

from cartshare.carts.models import Cart
from cartshare.common.rows import WithRelated, column, quote

pytestmark = pytest.mark.django_db

BY_ID = f"WHERE {quote(Cart._meta.db_table)}.{quote(column(Cart, 'id'))} = %s"


def _id(value: uuid.UUID) -> object:
    return Cart._meta.pk.get_db_prep_value(value, connection)


def _values(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.fields}


def test_the_cart_and_its_owner_equal_what_select_related_loads(world):
    expected = Cart.objects.select_related("owner").get(pk=world.trade_fair.pk)
    found = WithRelated.of(Cart, "owner").first(BY_ID, [_id(world.trade_fair.pk)])

    assert isinstance(found, Cart)
    assert _values(found) == _values(expected)
    assert _values(found.owner) == _values(expected.owner)
    assert not found._state.adding


def test_no_row_is_none(world):
    assert WithRelated.of(Cart, "owner").first(BY_ID, [_id(uuid.uuid4())]) is None
