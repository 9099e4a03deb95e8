"""Factories of cartshare.accounts: customers, companies, business units, company users."""

import factory

from cartshare.accounts.models import BusinessUnit, Company, CompanyUser, Customer

PASSWORD = "demo1234"


class CustomerFactory(factory.django.DjangoModelFactory):
    """A B2C customer (no company user) whose password is PASSWORD."""

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


class StaffFactory(CustomerFactory):
    """A staff superuser, for the back office (/admin/)."""

    email = factory.Sequence(lambda n: f"staff{n}@cartshare.example")
    name = factory.Sequence(lambda n: f"Staff {n}")
    is_staff = True
    is_superuser = True


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
