"""Creating customers: every customer starts with one own cart (spec §2)."""

from django.db import transaction

from cartshare.accounts.models import Customer
from cartshare.carts.services import cart_create

FIRST_CART_NAME = "My cart"


@transaction.atomic
def customer_register(*, email: str, name: str, password: str) -> Customer:
    customer = Customer.objects.create_user(email=email, password=password, name=name.strip())
    cart_create(owner=customer, name=FIRST_CART_NAME, activate=True)
    return customer
