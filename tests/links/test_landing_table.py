"""Opening `{base}/share/{token}`: every row of the spec §5 table, for preview and internal
links, through HTTP."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cartshare.carts.models import CartStatus
from cartshare.sharing.link_services import share_link_revoke
from cartshare.sharing.models import ShareLink
from tests.links.helpers import ALL_OPTIONS, INTERNAL, join_url, main_text, open_url, text, visit

pytestmark = pytest.mark.django_db


def assert_preview_page(response, world):
    assert response.status_code == 200
    page = text(response)
    assert "Office supplies" in page
    for expected in ("Ballpoint pen", "PEN-001", "Standing desk", "DESK-9", "€2.50", "€7.50"):
        assert expected in page
    assert "€1,005.50" in page  # 3 x 2.50 + 2 x 499.00
    assert world.alice.email not in main_text(response)
    assert "Secret note" not in page
    assert "Trade fair" not in main_text(response)  # her other cart (the header shows her own)
    assert "Open cart</button>" not in page


def assert_no_cart_data(response):
    page = text(response)
    for secret in ("Office supplies", "Ballpoint pen", "PEN-001", "1,005.50", "Secret note"):
        assert secret not in page


# Row 1: unknown token


@pytest.mark.parametrize("option", ALL_OPTIONS)
def test_an_unknown_token_answers_the_404_page(world, client, option):
    token = world.link(world.office_supplies, option)
    response = client.get(open_url(token[:-1] + ("A" if token[-1] != "A" else "B")))
    assert response.status_code == 404
    assert "This link does not exist" in text(response)
    assert_no_cart_data(response)


def test_a_token_of_any_shape_answers_404_never_500(world, client):
    for token in ["x", "%00", "a" * 500, "../carts", "<script>"]:
        response = visit(client, token)
        assert response.status_code == 404, token


# Row 2: revoked or expired


@pytest.mark.parametrize("option", ALL_OPTIONS)
def test_a_revoked_link_answers_410_and_says_whom_to_ask(world, client, option):
    link, _, token = world.share_link(world.office_supplies, option)
    share_link_revoke(link=link, actor=world.alice)
    client.force_login(world.bob)
    response = visit(client, token)
    assert response.status_code == 410
    assert "Ask Alice Archer for a new link" in text(response)
    assert_no_cart_data(response)


@pytest.mark.parametrize("option", ALL_OPTIONS)
def test_an_expired_link_answers_410_and_says_whom_to_ask(world, client, option):
    link, _, token = world.share_link(world.office_supplies, option)
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now())
    response = visit(client, token)
    assert response.status_code == 410
    page = text(response)
    assert "expired" in page
    assert "Ask Alice Archer for a new link" in page


# Row 3: cart deleted


@pytest.mark.parametrize("option", ALL_OPTIONS)
def test_the_link_of_a_deleted_cart_answers_410_no_longer_available(world, client, option):
    token = world.link(world.office_supplies, option)
    world.office_supplies.delete()
    client.force_login(world.bob)
    response = visit(client, token)
    assert response.status_code == 410
    assert "This cart is no longer available" in text(response)


# Row 4: logged out


def test_a_logged_out_visitor_of_a_preview_link_sees_the_preview(world, client):
    token = world.link(world.office_supplies, "PREVIEW")
    assert_preview_page(visit(client, token), world)


@pytest.mark.parametrize("option", INTERNAL)
def test_a_logged_out_visitor_of_an_internal_link_is_sent_to_log_in_and_back(world, client, option):
    token = world.link(world.office_supplies, option)
    response = client.get(open_url(token))
    assert response.status_code == 302
    # Straight to the log-in page, back to the link's own page (its address holds no token).
    assert response["Location"] == f"/login/?next={join_url(token)}"
    response = client.get(join_url(token))  # the link's own page, opened before logging in
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={join_url(token)}"


# Row 5: logged in, same business unit


def test_a_colleague_of_the_same_unit_sees_the_preview_of_a_preview_link(world, client):
    token = world.link(world.office_supplies, "PREVIEW")
    client.force_login(world.bob)
    assert_preview_page(visit(client, token), world)


@pytest.mark.parametrize("option", INTERNAL)
def test_a_colleague_of_the_same_unit_gets_the_accept_page(world, client, option):
    token = world.link(world.office_supplies, option)
    client.force_login(world.bob)
    response = visit(client, token)
    assert response.status_code == 200
    page = text(response)
    assert "Office supplies" in page
    assert "Alice Archer" in page
    assert {"READ_ONLY": "Read-only", "CONTRIBUTOR": "Contributor", "FULL_ACCESS": "Full access"}[
        option
    ] in page
    assert f'<form method="post" action="{join_url(token)}"' in page
    assert "csrfmiddlewaretoken" in page
    assert "Open cart</button>" in page
    assert world.alice.email not in page


# Row 6: the owner


def test_the_owner_sees_the_preview_of_a_preview_link(world, client):
    token = world.link(world.office_supplies, "PREVIEW")
    client.force_login(world.alice)
    response = visit(client, token)
    assert_preview_page(response, world)
    assert "how other people see your cart" in text(response)


@pytest.mark.parametrize("option", INTERNAL)
def test_the_owner_of_an_internal_link_is_taken_to_the_cart_itself(world, client, option):
    token = world.link(world.office_supplies, option)
    client.force_login(world.alice)
    response = visit(client, token)
    assert response.status_code == 302
    assert response["Location"] == f"/carts/{world.office_supplies.pk}/"


# Row 7: other business unit, other company, B2C


@pytest.mark.parametrize("person", ["carol", "dave", "erin"])
def test_outsiders_see_the_preview_of_a_preview_link(world, client, person):
    token = world.link(world.office_supplies, "PREVIEW")
    client.force_login(world.user(person))
    assert_preview_page(visit(client, token), world)


@pytest.mark.parametrize("option", INTERNAL)
@pytest.mark.parametrize("person", ["carol", "dave", "erin"])
def test_outsiders_of_an_internal_link_get_the_403_page_without_cart_data(
    world, client, person, option
):
    token = world.link(world.office_supplies, option)
    client.force_login(world.user(person))
    response = visit(client, token)
    assert response.status_code == 403
    assert "This link is for colleagues in Berlin HQ. Log in with another account." in text(
        response
    )
    assert_no_cart_data(response)


def test_a_colleague_whose_company_user_is_deactivated_is_an_outsider(world, client):
    token = world.link(world.office_supplies, "FULL_ACCESS")
    world.bob.company_user.is_active = False
    world.bob.company_user.save()
    client.force_login(world.bob)
    assert visit(client, token).status_code == 403


# Row 8: cart ORDERED


def order(cart):
    type(cart).objects.filter(pk=cart.pk).update(status=CartStatus.ORDERED)


def test_the_preview_of_an_ordered_cart_is_marked_ordered(world, client):
    token = world.link(world.office_supplies, "PREVIEW")
    order(world.office_supplies)
    response = visit(client, token)
    assert_preview_page(response, world)
    assert "Ordered" in text(response)
    assert "has been ordered" in text(response)


@pytest.mark.parametrize("option", INTERNAL)
def test_an_internal_link_to_an_ordered_cart_shows_it_read_only_marked_ordered(
    world, client, option
):
    token = world.link(world.office_supplies, option)
    order(world.office_supplies)
    client.force_login(world.bob)
    response = visit(client, token)
    assert_preview_page(response, world)
    page = text(response)
    assert "Read-only" in page
    assert "Ordered" in page
    assert f'action="{join_url(token)}"' not in page


@pytest.mark.parametrize("option", INTERNAL)
def test_outsiders_of_an_internal_link_to_an_ordered_cart_still_get_403(world, client, option):
    token = world.link(world.office_supplies, option)
    order(world.office_supplies)
    client.force_login(world.carol)
    assert visit(client, token).status_code == 403
