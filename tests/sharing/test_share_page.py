"""The owner's share page and the grantee's dismiss page, over HTTP, for every kind of caller."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from cartshare.carts.models import Cart, CartStatus
from cartshare.sharing.models import CartShare, SharePermission
from tests.factories import BusinessUnitFactory, CartFactory, CompanyUserFactory, CustomerFactory
from tests.snapshots import snapshot
from tests.world import CALLERS

pytestmark = pytest.mark.django_db

SHARE_PAGE = {  # GET: the share dialog; grantees see their own access there
    "anonymous": 302,
    "owner": 200,
    "read_only": 200,
    "full_access": 200,
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


def client_for(client, world, caller):
    if caller != "anonymous":
        client.force_login(world.caller(caller))
    return client


def field(world, caller):
    return f"permission-{world.company_user(caller).pk}"


def texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# The share page


@pytest.mark.parametrize("caller", CALLERS)
def test_the_share_page_opens_for_whoever_can_see_the_cart(world, client, caller):
    response = client_for(client, world, caller).get(share_url(world.trade_fair))
    assert response.status_code == SHARE_PAGE[caller]
    if caller == "anonymous":
        assert response.url.startswith(reverse("storefront:login"))


SAVE_REFUSED = {**SHARE_PAGE, "read_only": 403, "full_access": 403}


@pytest.mark.parametrize("caller", [caller for caller in CALLERS if caller != "owner"])
def test_saving_the_share_page_is_refused_to_everyone_but_the_owner(world, client, caller):
    before = snapshot()
    response = client_for(client, world, caller).post(
        share_url(world.trade_fair), {field(world, "colleague"): "FULL_ACCESS"}
    )
    assert response.status_code == SAVE_REFUSED[caller]
    assert snapshot() == before


def selected_level(html: str, world, caller: str) -> str:
    """The option selected in one person's "Access for …" select on the share page."""
    select = re.search(rf'<select [^>]*name="{field(world, caller)}">(.*?)</select>', html, re.S)
    assert select is not None, caller
    chosen = re.search(r'<option value="(\w+)" selected>', select.group(1))
    assert chosen is not None
    return chosen.group(1)


def test_the_share_page_lists_people_with_access_each_with_a_labelled_select(world, client):
    client.force_login(world.alice)
    response = client.get(share_url(world.trade_fair))
    html = response.content.decode()
    for name in ["Frank Fischer", "Bob Brandt"]:
        assert f'class="visually-hidden">Access for {name}</label>' in html
    for nobody in ["Alice Archer", "Greta Gruber", "Carol Conrad", "Dave Dunn", "Erin Evans"]:
        assert f"Access for {nobody}</label>" not in html
    assert selected_level(html, world, "read_only") == "READ_ONLY"
    assert selected_level(html, world, "full_access") == "FULL_ACCESS"
    # Greta has no access: she is offered under "Add people", beside "Everyone in Berlin HQ".
    add = re.search(
        r'<select id="share-add-person" name="person" required>(.*?)</select>', html, re.S
    )
    assert add is not None
    assert '<option value="everyone">Everyone in Berlin HQ</option>' in add.group(1)
    assert "Greta Gruber" in add.group(1) and "Frank Fischer" not in add.group(1)


def test_the_owner_saves_every_change_at_once_and_is_told_what_changed(world, client):
    client.force_login(world.alice)
    response = client.post(
        share_url(world.trade_fair),
        {
            field(world, "read_only"): "FULL_ACCESS",
            field(world, "full_access"): "FULL_ACCESS",
            field(world, "colleague"): "READ_ONLY",
        },
        follow=True,
    )
    assert response.redirect_chain == [(share_url(world.trade_fair), 302)]
    assert texts(response) == [
        "Sharing saved.",
        "Frank Fischer: read-only → full access",
        "Greta Gruber: no access → read-only",
    ]
    assert "Frank Fischer: read-only → full access" in response.content.decode()
    assert dict(
        CartShare.objects.filter(cart=world.trade_fair).values_list(
            "company_user__customer__name", "permission"
        )
    ) == {
        "Frank Fischer": "FULL_ACCESS",
        "Bob Brandt": "FULL_ACCESS",
        "Greta Gruber": "READ_ONLY",
    }


def test_choosing_no_access_removes_a_grant(world, client):
    client.force_login(world.alice)
    response = client.post(
        share_url(world.trade_fair), {field(world, "full_access"): "NONE"}, follow=True
    )
    assert "Bob Brandt: full access → no access" in texts(response)
    assert not CartShare.objects.filter(company_user=world.company_user("full_access")).exists()


def test_saving_without_changes_says_so(world, client):
    client.force_login(world.alice)
    before = snapshot()
    response = client.post(
        share_url(world.trade_fair), {field(world, "read_only"): "READ_ONLY"}, follow=True
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
def test_a_tampered_form_is_refused_whole_with_a_message(world, client, form):
    ids = {
        "OTHER_UNIT": world.company_user("other_unit").pk,
        "OWNER": world.company_user("owner").pk,
        "COLLEAGUE": world.company_user("colleague").pk,
    }
    data = {field(world, "read_only"): "FULL_ACCESS"}  # a valid change that must not happen
    for key, value in form.items():
        prefix, _, who = key.partition("-")
        data[f"{prefix}-{ids.get(who, who)}"] = value
    client.force_login(world.alice)
    before = snapshot()
    response = client.post(share_url(world.trade_fair), data)
    if form == {"permission-COLLEAGUE": ""}:
        # An empty choice means no access, which Greta has: only Frank's change applies.
        assert response.status_code == 302
        return
    assert response.status_code == 422
    assert "Nothing was changed." in response.content.decode()
    assert snapshot() == before


def test_the_share_page_of_an_ordered_cart_gives_no_access_but_can_take_it_away(world, client):
    Cart.objects.filter(pk=world.trade_fair.pk).update(status=CartStatus.ORDERED)
    client.force_login(world.alice)
    page = client.get(share_url(world.trade_fair))  # also moves an active cart on (ordered)
    assert page.status_code == 200
    assert "you can still lower or remove a colleague" in page.content.decode()
    before = snapshot()
    response = client.post(share_url(world.trade_fair), {field(world, "colleague"): "READ_ONLY"})
    assert response.status_code == 409
    assert "ordered" in response.content.decode()
    assert snapshot() == before
    response = client.post(share_url(world.trade_fair), {field(world, "read_only"): "NONE"})
    assert response.status_code == 302
    assert not CartShare.objects.filter(
        cart=world.trade_fair, company_user__customer=world.frank
    ).exists()


def test_a_b2c_owner_sees_the_preview_link_and_nothing_about_colleagues(client):
    erin = CustomerFactory(name="Erin Evans")
    cart = CartFactory(owner=erin)
    client.force_login(erin)
    response = client.get(share_url(cart))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Create preview link" in html
    assert "colleague" not in html.lower() and "People with access" not in html
    assert 'name="person"' not in html


def test_an_owner_alone_in_their_unit_is_told_nobody_else_is_there(client):
    owner = CompanyUserFactory(business_unit=BusinessUnitFactory(name="Lonely Unit")).customer
    cart = CartFactory(owner=owner)
    client.force_login(owner)
    response = client.get(share_url(cart))
    assert "Nobody else in Lonely Unit" in response.content.decode()


def test_the_share_page_query_count_does_not_grow_with_colleagues(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.alice)
    with CaptureQueriesContext(connection) as few:
        client.get(share_url(world.trade_fair))
    for _ in range(15):
        CompanyUserFactory(business_unit=world.company_user("owner").business_unit)
    with CaptureQueriesContext(connection) as many:
        response = client.get(share_url(world.trade_fair))
    assert response.content.decode().count('name="person"') == 1
    assert response.content.decode().count("<option value=") >= 18 + 4
    assert len(many) == len(few)


def test_share_page_answers_405_to_other_methods(world, client):
    client.force_login(world.alice)
    assert client.put(share_url(world.trade_fair)).status_code == 405


# The dismiss page


@pytest.mark.parametrize("caller", CALLERS)
def test_the_dismiss_page_opens_for_grantees_only(world, client, caller):
    before = snapshot()
    response = client_for(client, world, caller).get(dismiss_url(world.trade_fair))
    assert response.status_code == DISMISS_PAGE[caller]
    assert snapshot() == before  # a GET never changes anything


def test_the_dismiss_page_asks_for_confirmation_and_names_the_owner(world, client):
    client.force_login(world.frank)
    html = client.get(dismiss_url(world.trade_fair)).content.decode()
    assert "Remove “Trade fair” from your carts?" in html
    assert "Alice Archer shared this cart with you (read-only)" in html
    assert 'type="submit" class="danger">Dismiss cart</button>' in html


def test_the_owner_is_told_why_they_cannot_dismiss(world, client):
    client.force_login(world.alice)
    response = client.get(dismiss_url(world.trade_fair))
    assert "You own this cart, so you cannot dismiss it." in response.content.decode()


@pytest.mark.parametrize("caller", ["read_only", "full_access"])
def test_a_grantee_dismisses_a_cart_and_returns_to_my_carts(world, client, caller):
    client.force_login(world.caller(caller))
    response = client.post(dismiss_url(world.trade_fair))
    assert response.status_code == 302
    assert response.url == reverse("storefront:cart_list")
    assert "“Trade fair” is no longer in your carts." in texts(response)[0]
    assert not CartShare.objects.filter(company_user=world.company_user(caller)).exists()
    assert CartShare.objects.filter(cart=world.trade_fair).count() == 1  # the other grant stays


def test_dismissing_the_active_cart_makes_an_own_cart_active(world, client):
    type(world.bob).objects.filter(pk=world.bob.pk).update(active_cart=world.trade_fair)
    client.force_login(world.bob)
    html = client.get(dismiss_url(world.trade_fair)).content.decode()
    assert "This is your active cart." in html
    client.post(dismiss_url(world.trade_fair))
    world.bob.refresh_from_db()
    assert world.bob.active_cart.owner == world.bob


@pytest.mark.parametrize("caller", ["anonymous", "owner", "other_unit", "other_company", "b2c"])
def test_dismissing_is_refused_to_everyone_else_and_changes_nothing(world, client, caller):
    before = snapshot()
    response = client_for(client, world, caller).post(dismiss_url(world.trade_fair))
    assert response.status_code == DISMISS_PAGE[caller]
    assert snapshot() == before


def test_dismissing_twice_answers_404_the_second_time(world, client):
    client.force_login(world.frank)
    client.post(dismiss_url(world.trade_fair))
    before = snapshot()
    assert client.post(dismiss_url(world.trade_fair)).status_code == 404
    assert snapshot() == before


def test_a_grant_to_someone_new_shows_on_the_share_page_after_save(world, client):
    client.force_login(world.alice)
    client.post(share_url(world.trade_fair), {field(world, "colleague"): "FULL_ACCESS"})
    html = client.get(share_url(world.trade_fair)).content.decode()
    assert selected_level(html, world, "colleague") == "FULL_ACCESS"
    assert (
        CartShare.objects.get(company_user=world.company_user("colleague")).permission
        == SharePermission.FULL_ACCESS
    )
