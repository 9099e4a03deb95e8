"""factory_boy factories, one module per app. Everything is re-exported here, so
`from tests.factories import CartFactory` works wherever a factory lives.

For the people, carts and products most tests need, use the `world` fixture (tests/world.py),
which is built from these factories."""

from tests.factories.accounts import (
    PASSWORD,
    BusinessUnitFactory,
    CompanyFactory,
    CompanyUserFactory,
    CustomerFactory,
    StaffFactory,
)
from tests.factories.carts import CartFactory, CartItemFactory
from tests.factories.catalog import CategoryFactory, ProductFactory
from tests.factories.comments import CommentFactory
from tests.factories.sharing import CartShareFactory

__all__ = [
    "PASSWORD",
    "BusinessUnitFactory",
    "CartFactory",
    "CartItemFactory",
    "CartShareFactory",
    "CategoryFactory",
    "CommentFactory",
    "CompanyFactory",
    "CompanyUserFactory",
    "CustomerFactory",
    "ProductFactory",
    "StaffFactory",
]
