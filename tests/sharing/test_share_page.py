"""The owner's share page and the grantee's dismiss page, over HTTP, for every kind of caller."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from cartshare.carts.models import Cart, CartStatus
from cartshare.sharing.models import CartShare, SharePermission
from tests.factories import BusinessUnitFactory, CartFactory, CompanyUserFactory, CustomerFactory
from tests.sharing.conftest import CALLERS, snapshot

pytestmark = pytest.mark.django_db

SHARE_PAGE = {
    "anonymous": 302,
    "owner": 200,
    "read_only": 403,
    "full_access": 403,
    "other_unit": 404,
    "other_company": 404,
    "b2c": 404,
}
DISMISS_PAGE = {
    "anonymous": 302,
    "owner": 403,
    "read_only": 200,
    "full_access": 200,
    "other_unit": 404,
    "other_company": 404,
    "b2c": 404,
}


def share_url(cart):
    return reverse("storefront:cart_share", args=[cart.pk])


def dismiss_url(cart):
    return reverse("storefront:cart_dismiss", args=[cart.pk])


def client_for(client, cast, caller):
    if caller != "anonymous":
        client.force_login(cast.customer(caller))
    return client


def field(cast, caller):
    return f"permission-{cast.company_user(caller).pk}"


def texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# The share page


@pytest.mark.parametrize("caller", CALLERS)
def test_the_share_page_opens_for_the_owner_only(cast, client, caller):
    response = client_for(client, cast, caller).get(share_url(cast.cart))
    assert response.status_code == SHARE_PAGE[caller]
    if caller == "anonymous":
        assert response.url.startswith(reverse("storefront:login"))


@pytest.mark.parametrize("caller", [caller for caller in CALLERS if caller != "owner"])
def test_saving_the_share_page_is_refused_to_everyone_but_the_owner(cast, client, caller):
    before = snapshot()
    response = client_for(client, cast, caller).post(
        share_url(cast.cart), {field(cast, "colleague"): "FULL_ACCESS"}
    )
    assert response.status_code == SHARE_PAGE[caller]
    assert snapshot() == before


def test_the_share_page_lists_each_colleague_with_a_labelled_radio_group(cast, client):
    client.force_login(cast.owner)
    response = client.get(share_url(cast.cart))
    html = response.content.decode()
    for name in ["Bob Brandt", "Frank Fischer", "Greta Gruber"]:
        assert f'<legend class="visually-hidden">Access for {name}</legend>' in html
    for outsider in ["Alice Archer", "Carol Conrad", "Dave Dunn", "Erin Evans"]:
        assert f"Access for {outsider}" not in html
    assert html.count('type="radio"') == 9
    for label in ["No access", "Read-only", "Full access"]:
        assert len(re.findall(rf'<input type="radio"[^>]*>\s*{label}\s*</label>', html)) == 3
    bob_read_only = f'name="{field(cast, "read_only")}" value="READ_ONLY" checked'
    greta_nothing = f'name="{field(cast, "colleague")}" value="NONE" checked'
    assert bob_read_only in html
    assert greta_nothing in html
    assert html.count('type="submit">Save</button>') == 1


def test_the_owner_saves_every_change_at_once_and_is_told_what_changed(cast, client):
    client.force_login(cast.owner)
    response = client.post(
        share_url(cast.cart),
        {
            field(cast, "read_only"): "FULL_ACCESS",
            field(cast, "full_access"): "FULL_ACCESS",
            field(cast, "colleague"): "READ_ONLY",
        },
        follow=True,
    )
    assert response.redirect_chain == [(share_url(cast.cart), 302)]
    assert texts(response) == [
        "Sharing saved.",
        "Bob Brandt: read-only → full access",
        "Greta Gruber: no access → read-only",
    ]
    assert "Bob Brandt: read-only → full access" in response.content.decode()
    assert dict(
        CartShare.objects.filter(cart=cast.cart).values_list(
            "company_user__customer__name", "permission"
        )
    ) == {
        "Bob Brandt": "FULL_ACCESS",
        "Frank Fischer": "FULL_ACCESS",
        "Greta Gruber": "READ_ONLY",
    }


def test_choosing_no_access_removes_a_grant(cast, client):
    client.force_login(cast.owner)
    response = client.post(share_url(cast.cart), {field(cast, "full_access"): "NONE"}, follow=True)
    assert "Frank Fischer: full access → no access" in texts(response)
    assert not CartShare.objects.filter(company_user=cast.company_user("full_access")).exists()


def test_saving_without_changes_says_so(cast, client):
    client.force_login(cast.owner)
    before = snapshot()
    response = client.post(
        share_url(cast.cart), {field(cast, "read_only"): "READ_ONLY"}, follow=True
    )
    assert texts(response) == ["Nothing changed: every colleague keeps their access."]
    assert snapshot() == before


@pytest.mark.parametrize(
    "form",
    [
        {"permission-OTHER_UNIT": "READ_ONLY"},
        {"permission-OWNER": "READ_ONLY"},
        {"permission-999999": "READ_ONLY"},
        {"permission-abc": "READ_ONLY"},
        {"permission-COLLEAGUE": "OWNER"},
        {"permission-COLLEAGUE": ""},
    ],
)
def test_a_tampered_form_is_refused_whole_with_a_message(cast, client, form):
    ids = {
        "OTHER_UNIT": cast.company_user("other_unit").pk,
        "OWNER": cast.company_user("owner").pk,
        "COLLEAGUE": cast.company_user("colleague").pk,
    }
    data = {field(cast, "read_only"): "FULL_ACCESS"}  # a valid change that must not happen
    for key, value in form.items():
        prefix, _, who = key.partition("-")
        data[f"{prefix}-{ids.get(who, who)}"] = value
    client.force_login(cast.owner)
    before = snapshot()
    response = client.post(share_url(cast.cart), data)
    if form == {"permission-COLLEAGUE": ""}:
        # An empty choice means no access, which Greta has: only Bob's change applies.
        assert response.status_code == 302
        return
    assert response.status_code == 422
    assert "Nothing was changed." in response.content.decode()
    assert snapshot() == before


def test_the_share_page_of_an_ordered_cart_gives_no_access_but_can_take_it_away(cast, client):
    Cart.objects.filter(pk=cast.cart.pk).update(status=CartStatus.ORDERED)
    client.force_login(cast.owner)
    before = snapshot()
    page = client.get(share_url(cast.cart))
    assert page.status_code == 200
    assert "you can still lower or remove a colleague" in page.content.decode()
    response = client.post(share_url(cast.cart), {field(cast, "colleague"): "READ_ONLY"})
    assert response.status_code == 409
    assert "ordered" in response.content.decode()
    assert snapshot() == before
    response = client.post(share_url(cast.cart), {field(cast, "read_only"): "NONE"})
    assert response.status_code == 302
    assert not CartShare.objects.filter(
        cart=cast.cart, company_user__customer=cast.read_only
    ).exists()


def test_a_b2c_owner_is_told_there_are_no_colleagues(client):
    erin = CustomerFactory(name="Erin Evans")
    cart = CartFactory(owner=erin)
    client.force_login(erin)
    response = client.get(share_url(cart))
    assert response.status_code == 200
    assert "does not belong to a company" in response.content.decode()
    assert 'type="radio"' not in response.content.decode()


def test_an_owner_alone_in_their_unit_is_told_nobody_else_is_there(client):
    owner = CompanyUserFactory(business_unit=BusinessUnitFactory(name="Lonely Unit")).customer
    cart = CartFactory(owner=owner)
    client.force_login(owner)
    response = client.get(share_url(cart))
    assert "Nobody else in Lonely Unit" in response.content.decode()


def test_the_share_page_query_count_does_not_grow_with_colleagues(cast, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast.owner)
    with CaptureQueriesContext(connection) as few:
        client.get(share_url(cast.cart))
    for _ in range(15):
        CompanyUserFactory(business_unit=cast.company_user("owner").business_unit)
    with CaptureQueriesContext(connection) as many:
        response = client.get(share_url(cast.cart))
    assert response.content.decode().count('type="radio"') == 54
    assert len(many) == len(few)


def test_share_page_answers_405_to_other_methods(cast, client):
    client.force_login(cast.owner)
    assert client.put(share_url(cast.cart)).status_code == 405


# The dismiss page


@pytest.mark.parametrize("caller", CALLERS)
def test_the_dismiss_page_opens_for_grantees_only(cast, client, caller):
    before = snapshot()
    response = client_for(client, cast, caller).get(dismiss_url(cast.cart))
    assert response.status_code == DISMISS_PAGE[caller]
    assert snapshot() == before  # a GET never changes anything


def test_the_dismiss_page_asks_for_confirmation_and_names_the_owner(cast, client):
    client.force_login(cast.read_only)
    html = client.get(dismiss_url(cast.cart)).content.decode()
    assert "Remove “Office supplies” from your carts?" in html
    assert "Alice Archer shared this cart with you (read-only)" in html
    assert 'type="submit" class="danger">Dismiss cart</button>' in html


def test_the_owner_is_told_why_they_cannot_dismiss(cast, client):
    client.force_login(cast.owner)
    response = client.get(dismiss_url(cast.cart))
    assert "You own this cart, so you cannot dismiss it." in response.content.decode()


@pytest.mark.parametrize("caller", ["read_only", "full_access"])
def test_a_grantee_dismisses_a_cart_and_returns_to_my_carts(cast, client, caller):
    client.force_login(cast.customer(caller))
    response = client.post(dismiss_url(cast.cart))
    assert response.status_code == 302
    assert response.url == reverse("storefront:cart_list")
    assert "“Office supplies” is no longer in your carts." in texts(response)[0]
    assert not CartShare.objects.filter(company_user=cast.company_user(caller)).exists()
    assert CartShare.objects.filter(cart=cast.cart).count() == 1  # the other grant stays


def test_dismissing_the_active_cart_makes_an_own_cart_active(cast, client):
    type(cast.full_access).objects.filter(pk=cast.full_access.pk).update(active_cart=cast.cart)
    client.force_login(cast.full_access)
    html = client.get(dismiss_url(cast.cart)).content.decode()
    assert "This is your active cart." in html
    client.post(dismiss_url(cast.cart))
    cast.full_access.refresh_from_db()
    assert cast.full_access.active_cart.owner == cast.full_access


@pytest.mark.parametrize("caller", ["anonymous", "owner", "other_unit", "other_company", "b2c"])
def test_dismissing_is_refused_to_everyone_else_and_changes_nothing(cast, client, caller):
    before = snapshot()
    response = client_for(client, cast, caller).post(dismiss_url(cast.cart))
    assert response.status_code == DISMISS_PAGE[caller]
    assert snapshot() == before


def test_dismissing_twice_answers_404_the_second_time(cast, client):
    client.force_login(cast.read_only)
    client.post(dismiss_url(cast.cart))
    before = snapshot()
    assert client.post(dismiss_url(cast.cart)).status_code == 404
    assert snapshot() == before


def test_a_grant_to_someone_new_shows_on_the_share_page_after_save(cast, client):
    client.force_login(cast.owner)
    client.post(share_url(cast.cart), {field(cast, "colleague"): "FULL_ACCESS"})
    html = client.get(share_url(cast.cart)).content.decode()
    assert f'name="{field(cast, "colleague")}" value="FULL_ACCESS" checked' in html
    assert (
        CartShare.objects.get(company_user=cast.company_user("colleague")).permission
        == SharePermission.FULL_ACCESS
    )
