"""The log-in page reached from an internal link says what waits behind it (issue 14 part 6):
the owner's name, the cart's name and the unit, never the cart's contents; the person lands back
on the link after logging in. A dead link, another browser, or any other `next` leave the page
generic, and no address on the way holds the token."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from cartshare.carts.models import Cart
from cartshare.common.logmask import mask_tokens
from cartshare.sharing.link_services import share_link_revoke
from cartshare.sharing.models import ShareLink
from tests.factories import CartFactory, CartItemFactory
from tests.links.helpers import INTERNAL, data_snapshot, join_url, main_text, open_url, text

pytestmark = pytest.mark.django_db

WAITING = "Alice Archer shared “Office supplies” with colleagues in Berlin HQ: log in to open it."
GENERIC = "Welcome back. Log in to see your carts and the carts colleagues share with you."
CART_CONTENTS = ("Ballpoint pen", "PEN-001", "Standing desk", "1,005.50", "Secret note")


def head(response) -> str:
    return text(response).split("</head>", 1)[0]


def login_page_after_opening(client: Client, token: str):
    """Open the link logged out, as a browser does, and follow it to the log-in page."""
    response = client.get(open_url(token))
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={join_url(token)}"
    return client.get(response["Location"])


def assert_generic(response) -> None:
    assert response.status_code == 200
    page = main_text(response)
    assert GENERIC in page
    assert "data-link-waiting" not in page
    for secret in ("Office supplies", "Alice Archer", "Berlin HQ", *CART_CONTENTS):
        assert secret not in text(response), secret


@pytest.mark.parametrize("option", INTERNAL)
def test_the_log_in_page_of_an_internal_link_says_who_shared_which_cart_with_whom(
    world, client, option
):
    token = world.link(world.office_supplies, option)
    response = login_page_after_opening(client, token)
    assert response.status_code == 200
    assert WAITING in main_text(response)
    assert GENERIC not in main_text(response)
    for secret in CART_CONTENTS:
        assert secret not in text(response), secret
    assert token not in text(response)


@pytest.mark.parametrize("option", INTERNAL)
def test_after_logging_in_the_colleague_lands_back_on_the_link(world, client, option):
    token = world.link(world.office_supplies, option)
    login_page_after_opening(client, token)
    response = client.post(
        f"/login/?next={join_url(token)}", {"email": world.bob.email, "password": "demo1234"}
    )
    assert response.status_code == 302
    assert response["Location"] == join_url(token)
    assert "Open cart</button>" in text(client.get(response["Location"]))


def test_a_wrong_password_keeps_the_message_and_the_way_back(world, client):
    token = world.link(world.office_supplies, "FULL_ACCESS")
    login_page_after_opening(client, token)
    response = client.post(
        f"/login/?next={join_url(token)}", {"email": world.bob.email, "password": "wrong"}
    )
    assert response.status_code == 400
    assert WAITING in main_text(response)
    assert f'name="next" value="{join_url(token)}"' in text(response)


def test_the_message_is_only_for_the_browser_that_opened_the_link(world, client):
    token = world.link(world.office_supplies, "FULL_ACCESS")
    login_url = client.get(open_url(token))["Location"]
    assert_generic(Client().get(login_url))  # the same address in another browser


def test_a_chat_unfurling_an_internal_link_without_cookies_gets_the_generic_log_in_page(
    world, client
):
    token = world.link(world.office_supplies, "READ_ONLY")
    location = Client().get(open_url(token))["Location"]
    response = Client().get(location)  # an unfurler that keeps no cookie between requests
    assert_generic(response)
    assert '<meta property="og:title" content="Log in to Cartshare">' in head(response)


def test_the_meta_tags_stay_generic_even_when_the_page_says_what_waits(world, client):
    token = world.link(world.office_supplies, "FULL_ACCESS")
    response = login_page_after_opening(client, token)
    assert WAITING in main_text(response)
    page_head = head(response)
    assert "<title>Log in · Cartshare</title>" in page_head
    assert '<meta property="og:title" content="Log in to Cartshare">' in page_head
    for secret in ("Office supplies", "Alice Archer", "Berlin HQ", "og:image"):
        assert secret not in page_head


def test_a_link_revoked_after_opening_leaves_the_log_in_page_generic(world, client):
    link, _, token = world.share_link(world.office_supplies, "FULL_ACCESS")
    login_url = client.get(open_url(token))["Location"]
    share_link_revoke(link=link, actor=world.alice)
    assert_generic(client.get(login_url))


def test_a_link_expired_after_opening_leaves_the_log_in_page_generic(world, client):
    link, _, token = world.share_link(world.office_supplies, "READ_ONLY")
    login_url = client.get(open_url(token))["Location"]
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now())
    assert_generic(client.get(login_url))


def test_a_cart_deleted_after_opening_leaves_the_log_in_page_generic(world, client):
    token = world.link(world.office_supplies, "READ_ONLY")
    login_url = client.get(open_url(token))["Location"]
    Cart.objects.filter(pk=world.office_supplies.pk).delete()
    assert_generic(client.get(login_url))


@pytest.mark.parametrize("state", ["revoked", "expired", "unknown"])
def test_a_dead_or_unknown_link_never_reaches_the_log_in_page(world, client, state):
    link, _, token = world.share_link(world.office_supplies, "FULL_ACCESS")
    if state == "revoked":
        share_link_revoke(link=link, actor=world.alice)
    elif state == "expired":
        ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now())
    else:
        token = token[:-1] + ("A" if token[-1] != "A" else "B")
    response = client.get(open_url(token))
    assert response.status_code == (404 if state == "unknown" else 410)
    for secret in (*CART_CONTENTS, "Office supplies"):
        assert secret not in text(response)
    assert_generic(client.get(f"/login/?next=/share/join/{link.pk}"))


@pytest.mark.parametrize(
    "next_url",
    ["/carts/", "/share/join/999999", "/share/join/x", "https://evil.example/share/join/1", ""],
)
def test_any_other_next_leaves_the_log_in_page_generic(world, client, next_url):
    token = world.link(world.office_supplies, "FULL_ACCESS")
    client.get(open_url(token))
    assert_generic(client.get(f"/login/?next={next_url}"))


def test_another_opened_link_says_only_what_waits_behind_its_own_next(world, client):
    other = CartFactory(owner=world.alice, name="Team lunch")
    CartItemFactory(cart=other)
    first = world.link(world.office_supplies, "FULL_ACCESS")
    second = world.link(other, "READ_ONLY")
    client.get(open_url(first))
    login_url = client.get(open_url(second))["Location"]
    page = main_text(client.get(login_url))
    assert "Alice Archer shared “Team lunch” with colleagues in Berlin HQ" in page
    assert "Office supplies" not in page


def test_the_cart_name_is_escaped_on_the_log_in_page(world, client):
    Cart.objects.filter(pk=world.office_supplies.pk).update(name="<script>x</script> & co")
    token = world.link(world.office_supplies, "FULL_ACCESS")
    page = text(login_page_after_opening(client, token))
    assert "<script>x</script>" not in page
    assert "“&lt;script&gt;x&lt;/script&gt; &amp; co”" in page


def test_the_log_in_page_of_a_preview_link_s_copy_says_which_cart_it_copies(world, client):
    token = world.link(world.office_supplies, "PREVIEW")
    client.get(open_url(token))
    response = client.get(client.get(open_url(token) + "/copy")["Location"])
    page = main_text(response)
    assert "Log in to copy the items of “Office supplies” into a cart of your own." in page
    assert "Alice Archer" not in page


def test_no_address_on_the_way_to_the_log_in_page_holds_the_token(world, client):
    token = world.link(world.office_supplies, "FULL_ACCESS")
    response = client.get(open_url(token))
    assert response["Referrer-Policy"] == "no-referrer"  # the log-in page gets no Referer
    assert token not in response["Location"]
    assert token not in mask_tokens(open_url(token))
    page = client.get(response["Location"])
    assert token not in text(page)


def test_opening_and_reading_the_log_in_page_change_no_data(world, client):
    token = world.link(world.office_supplies, "FULL_ACCESS")
    before = data_snapshot()
    login_page_after_opening(client, token)
    assert data_snapshot() == before


def test_a_logged_in_colleague_is_not_sent_to_the_log_in_page(world, client):
    token = world.link(world.office_supplies, "FULL_ACCESS")
    client.force_login(world.bob)
    response = client.get(open_url(token))
    assert response["Location"] == join_url(token)
    assert client.get(f"/login/?next={join_url(token)}")["Location"] == join_url(token)


def test_logging_out_to_log_in_with_another_account_says_what_waits(world):
    """From the refusal page of someone outside the unit: "Log in with another account" goes to
    the log-in page, which says what the link holds for the right account."""
    token = world.link(world.office_supplies, "FULL_ACCESS")
    browser = world.logged_in_client(world.carol)
    browser.get(open_url(token))
    assert browser.get(join_url(token)).status_code == 403
    login_url = browser.post("/logout/", {"next": join_url(token)})["Location"]
    assert WAITING in main_text(browser.get(login_url))


def test_log_in_to_ask_for_access_to_a_revoked_link_stays_generic(world, client):
    link, _, token = world.share_link(world.office_supplies, "FULL_ACCESS")
    share_link_revoke(link=link, actor=world.alice)
    assert client.get(open_url(token)).status_code == 410
    login_url = client.get(f"/share/join/{link.pk}/request-access")["Location"]
    assert login_url.startswith("/login/?next=")
    assert_generic(client.get(login_url))
