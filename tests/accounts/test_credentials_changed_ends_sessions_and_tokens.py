"""A password change ends every other session and every API token of the account; "log out
everywhere" (account page) ends all of them; `DELETE /api/v1/access-tokens` revokes every token
of mine (issue 11, item 4). `credentials_changed` is the service a password reset calls too."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user
from django.test import Client
from django.urls import reverse

from cartshare.accounts.models import AccessToken
from cartshare.accounts.services import credentials_changed
from tests.api.client import ApiClient, assert_problem, token_for
from tests.factories import PASSWORD, CustomerFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("storefront:login")
PASSWORD_CHANGE = reverse("storefront:password_change")
LOGOUT_EVERYWHERE = reverse("storefront:logout_everywhere")
NEW_PASSWORD = "a-new-Secret-4711"


def logged_in(customer) -> Client:
    client = Client()
    assert client.post(LOGIN, {"email": customer.email, "password": PASSWORD}).status_code == 302
    return client


def is_logged_in(client: Client) -> bool:
    return client.get(PASSWORD_CHANGE).status_code == 200


def test_a_password_change_ends_every_other_session_and_every_api_token(production_cache):
    customer = CustomerFactory()
    here, elsewhere = logged_in(customer), logged_in(customer)
    api = ApiClient(token_for(customer))
    other_customer = CustomerFactory()
    others_api = ApiClient(token_for(other_customer))
    others_session = logged_in(other_customer)

    response = here.post(
        PASSWORD_CHANGE,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "You were logged out everywhere else" in response.content.decode()
    assert is_logged_in(here)
    assert get_user(here).pk == customer.pk
    assert not is_logged_in(elsewhere)
    assert_problem(api.get("/me"), 401)
    assert not AccessToken.objects.filter(customer=customer, revoked_at__isnull=True).exists()
    # Nobody else's sessions or tokens are touched.
    assert others_api.get("/me").status_code == 200
    assert is_logged_in(others_session)


def test_log_out_everywhere_ends_every_session_and_token_of_the_account(production_cache):
    customer = CustomerFactory()
    here, elsewhere = logged_in(customer), logged_in(customer)
    api = ApiClient(token_for(customer))
    page = here.get(PASSWORD_CHANGE).content.decode()
    assert f'action="{LOGOUT_EVERYWHERE}"' in page
    assert ">Log out everywhere</button>" in page

    response = here.post(LOGOUT_EVERYWHERE, follow=True)
    assert "You are logged out everywhere" in response.content.decode()
    assert not is_logged_in(here)
    assert not is_logged_in(elsewhere)
    assert_problem(api.get("/me"), 401)
    # The password still works: a new log-in is a new session.
    assert is_logged_in(logged_in(customer))


def test_log_out_everywhere_needs_a_post(client):
    client.force_login(CustomerFactory())
    assert client.get(LOGOUT_EVERYWHERE).status_code == 405
    assert is_logged_in(client)


def test_credentials_changed_keeps_only_the_named_session():
    customer = CustomerFactory()
    kept, ended = logged_in(customer), logged_in(customer)
    credentials_changed(customer, keep_session_key=kept.session.session_key)
    assert is_logged_in(kept)
    assert not is_logged_in(ended)


def test_credentials_changed_without_a_kept_session_ends_them_all():
    customer = CustomerFactory()
    sessions = [logged_in(customer), logged_in(customer)]
    api = ApiClient(token_for(customer))
    credentials_changed(customer)
    assert not any(is_logged_in(session) for session in sessions)
    assert_problem(api.get("/me"), 401)


def test_a_session_of_someone_else_is_never_kept():
    customer, other = CustomerFactory(), CustomerFactory()
    others_session = logged_in(other)
    credentials_changed(customer, keep_session_key=others_session.session.session_key)
    assert is_logged_in(others_session)  # untouched: it is not one of the customer's sessions


def test_delete_access_tokens_revokes_every_token_of_mine_and_no_one_elses():
    customer, other = CustomerFactory(), CustomerFactory()
    first, second = ApiClient(token_for(customer)), ApiClient(token_for(customer))
    others = ApiClient(token_for(other))
    session = logged_in(customer)
    assert first.delete("/access-tokens").status_code == 204
    assert_problem(first.get("/me"), 401)
    assert_problem(second.get("/me"), 401)
    assert others.get("/me").status_code == 200
    assert is_logged_in(session)  # web sessions are the account page's "log out everywhere"


def test_delete_access_tokens_needs_a_token():
    assert_problem(ApiClient().delete("/access-tokens"), 401)


def test_a_password_set_by_staff_in_the_back_office_ends_every_session_and_api_token(
    production_cache,
):
    customer = CustomerFactory()
    session, api = logged_in(customer), ApiClient(token_for(customer))
    staff = CustomerFactory(is_staff=True, is_superuser=True)
    back_office = Client()
    back_office.force_login(staff)

    response = back_office.post(
        reverse("admin:auth_user_password_change", args=[customer.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.check_password(NEW_PASSWORD)
    assert not is_logged_in(session)
    assert_problem(api.get("/me"), 401)
    assert not AccessToken.objects.filter(customer=customer, revoked_at__isnull=True).exists()
    # The staff member's own session is untouched.
    assert back_office.get(reverse("admin:index")).status_code == 200
