"""factory_boy factories, one per model. Every test builds the data it needs from these."""

import factory

from cartshare.accounts.models import BusinessUnit, Company, CompanyUser, Customer
from cartshare.carts.models import Cart, CartItem
from cartshare.catalog.models import Category, Product
from cartshare.sharing.models import CartShare, SharePermission

PASSWORD = "demo1234"


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"customer{n}@example.com")
    name = factory.Sequence(lambda n: f"Customer {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Company {n}")


class BusinessUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BusinessUnit

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"Unit {n}")


class CompanyUserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompanyUser

    customer = factory.SubFactory(CustomerFactory)
    business_unit = factory.SubFactory(BusinessUnitFactory)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    name = factory.Sequence(lambda n: f"Product {n}")
    description = "A product for tests."
    category = factory.SubFactory(CategoryFactory)
    unit_price = 1299
    currency = "EUR"


class CartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cart

    owner = factory.SubFactory(CustomerFactory)
    name = factory.Sequence(lambda n: f"Cart {n}")


class CartItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CartItem

    cart = factory.SubFactory(CartFactory)
    product = factory.SubFactory(ProductFactory)
    quantity = 1


class CartShareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CartShare

    cart = factory.SubFactory(CartFactory)
    company_user = factory.SubFactory(CompanyUserFactory)
    permission = SharePermission.READ_ONLY
