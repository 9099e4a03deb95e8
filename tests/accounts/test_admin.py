"""The back office for customers, companies, business units and company users."""

import pytest
from django.urls import reverse

from cartshare.accounts.models import BusinessUnit, Company, CompanyUser, Customer
from tests.factories import CompanyUserFactory, CustomerFactory

pytestmark = pytest.mark.django_db

MODELS = ["customer", "company", "businessunit", "companyuser"]


@pytest.fixture
def staff_client(client):
    client.force_login(CustomerFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("model", MODELS)
def test_every_changelist_and_add_page_answers_for_a_superuser(staff_client, model):
    CompanyUserFactory()
    assert staff_client.get(reverse(f"admin:accounts_{model}_changelist")).status_code == 200
    assert staff_client.get(reverse(f"admin:accounts_{model}_add")).status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_a_customer_without_staff_rights_is_sent_to_the_admin_login(client, model):
    client.force_login(CustomerFactory())
    response = client.get(reverse(f"admin:accounts_{model}_changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_change_pages_answer_for_a_superuser(staff_client):
    company_user = CompanyUserFactory()
    unit = company_user.business_unit
    for url in [
        reverse("admin:accounts_customer_change", args=[company_user.customer.pk]),
        reverse("admin:accounts_company_change", args=[unit.company.pk]),
        reverse("admin:accounts_businessunit_change", args=[unit.pk]),
        reverse("admin:accounts_companyuser_change", args=[company_user.pk]),
    ]:
        assert staff_client.get(url).status_code == 200


def test_customers_are_searchable_by_email_and_name(staff_client):
    CustomerFactory(email="findme@example.com", name="Zelda Zimmer")
    CustomerFactory(email="other@example.com", name="Otto Other")
    url = reverse("admin:accounts_customer_changelist")
    by_email = staff_client.get(url, {"q": "findme"}).content.decode()
    assert "findme@example.com" in by_email and "other@example.com" not in by_email
    by_name = staff_client.get(url, {"q": "zimmer"}).content.decode()
    assert "findme@example.com" in by_name and "other@example.com" not in by_name


def test_staff_create_a_customer_by_email_stored_in_lower_case(staff_client):
    response = staff_client.post(
        reverse("admin:accounts_customer_add"),
        {
            "email": "New.Person@Example.com",
            "name": "New Person",
            "password1": "plum-tree-42",
            "password2": "plum-tree-42",
        },
    )
    assert response.status_code == 302
    customer = Customer.objects.get(name="New Person")
    assert customer.email == "new.person@example.com"
    assert customer.check_password("plum-tree-42")


def test_staff_cannot_create_a_second_customer_with_the_same_email_in_other_case(staff_client):
    CustomerFactory(email="taken@example.com")
    before = Customer.objects.count()
    response = staff_client.post(
        reverse("admin:accounts_customer_add"),
        {
            "email": "TAKEN@example.com",
            "name": "Copy",
            "password1": "plum-tree-42",
            "password2": "plum-tree-42",
        },
    )
    assert response.status_code == 200
    assert "exists already" in response.content.decode()
    assert Customer.objects.count() == before


def test_company_page_adds_business_units_inline(staff_client):
    response = staff_client.post(
        reverse("admin:accounts_company_add"),
        {
            "name": "Initech",
            "business_units-TOTAL_FORMS": "2",
            "business_units-INITIAL_FORMS": "0",
            "business_units-MIN_NUM_FORMS": "0",
            "business_units-MAX_NUM_FORMS": "1000",
            "business_units-0-name": "Austin",
            "business_units-1-name": "Dallas",
        },
    )
    assert response.status_code == 302
    company = Company.objects.get(name="Initech")
    assert sorted(company.business_units.values_list("name", flat=True)) == ["Austin", "Dallas"]


def test_company_users_can_be_deactivated_and_moved_from_the_list(staff_client):
    company_user = CompanyUserFactory()
    other_unit = BusinessUnit.objects.create(company=company_user.business_unit.company, name="B")
    response = staff_client.post(
        reverse("admin:accounts_companyuser_changelist"),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000",
            "form-0-id": str(company_user.pk),
            "form-0-business_unit": str(other_unit.pk),
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    company_user.refresh_from_db()
    assert company_user.is_active is False  # unchecked box
    assert company_user.business_unit == other_unit


def test_company_users_filter_by_unit_and_active(staff_client):
    active = CompanyUserFactory(customer__email="active@example.com")
    CompanyUserFactory(customer__email="inactive@example.com", is_active=False)
    url = reverse("admin:accounts_companyuser_changelist")
    html = staff_client.get(url, {"is_active__exact": "1"}).content.decode()
    assert "active@example.com" in html and "inactive@example.com" not in html
    html = staff_client.get(url, {"business_unit__id__exact": active.business_unit_id}).content
    assert b"active@example.com" in html and b"inactive@example.com" not in html
    assert CompanyUser.objects.count() == 2
