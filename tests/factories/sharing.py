"""Factories of cartshare.sharing: grants of a cart to a colleague. Share links carry a secret
token, so they are made through the service (`world.link(...)` in tests/world.py)."""

import factory

from cartshare.sharing.models import CartShare, SharePermission
from tests.factories.accounts import CompanyUserFactory
from tests.factories.carts import CartFactory


class CartShareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CartShare

    cart = factory.SubFactory(CartFactory)
    company_user = factory.SubFactory(CompanyUserFactory)
    permission = SharePermission.READ_ONLY
