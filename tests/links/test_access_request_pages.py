"""Access requests on the pages (spec §11), through HTTP: "Ask for edit access" on a read-only
cart, "Request access" on the refusal page of a dead internal link, the owner's Approve and
Decline on the cart and share pages, Withdraw; and, for someone outside the unit, "Log in with
another account" that comes back to the link. Allowed actions are checked in the database,
refused ones for changing nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from cartshare.notifications.models import Notification
from cartshare.sharing.access_requests import access_request_create
from cartshare.sharing.link_services import share_link_revoke
from cartshare.sharing.models import AccessRequest, CartShare
from tests.factories import PASSWORD
from tests.links.helpers import data_snapshot, main_text, text, visit
from tests.world import ROLES

pytestmark = pytest.mark.django_db


def cart_url(cart) -> str:
    return f"/carts/{cart.pk}/"


def grant_of(world, person) -> str | None:
    grant = CartShare.objects.filter(cart=world.trade_fair, company_user__customer=person).first()
    return grant.permission if grant else None


def requests_now():
    return list(AccessRequest.objects.order_by("pk").values_list("pk", "status", "permission"))


# --- "Ask for edit access" on a read-only cart ---------------------------------------------------


def test_a_read_only_colleague_asks_for_edit_access_from_the_cart_page(world):
    frank = world.logged_in_client(world.frank)
    page = frank.get(cart_url(world.trade_fair))
    assert "Ask for edit access" in main_text(page)

    response = frank.post(
        f"/carts/{world.trade_fair.pk}/access-requests/",
        {"permission": "FULL_ACCESS", "message": "I need to add the banner."},
        follow=True,
    )

    asked = AccessRequest.objects.get()
    assert (asked.requester, asked.permission, asked.status, asked.message) == (
        world.frank,
        "FULL_ACCESS",
        "PENDING",
        "I need to add the banner.",
    )
    page = main_text(response)
    assert "is sent to Alice Archer" in page
    assert "Withdraw my request" in page and "Ask for edit access" not in page
    assert Notification.objects.filter(recipient=world.alice, kind="access.requested").exists()
    assert grant_of(world, world.frank) == "READ_ONLY"


@pytest.mark.parametrize("person", ["bob", "alice"])
def test_who_has_full_access_is_not_offered_it_and_cannot_ask(world, person):
    client = world.logged_in_client(world.user(person))
    assert "Ask for edit access" not in main_text(client.get(cart_url(world.trade_fair)))
    before = data_snapshot()

    response = client.post(
        f"/carts/{world.trade_fair.pk}/access-requests/", {"permission": "FULL_ACCESS"}
    )

    assert response.status_code == 302  # back to the cart, with the reason as a message
    assert data_snapshot() == before


def test_a_logged_out_visitor_is_sent_to_log_in_and_nothing_is_asked(world, client):
    response = client.post(
        f"/carts/{world.trade_fair.pk}/access-requests/", {"permission": "FULL_ACCESS"}
    )
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert requests_now() == []


@pytest.mark.parametrize("person", ["greta", "carol", "dave", "erin"])
def test_who_cannot_see_the_cart_gets_404_and_nothing_is_asked(world, person):
    response = world.logged_in_client(world.user(person)).post(
        f"/carts/{world.trade_fair.pk}/access-requests/", {"permission": "FULL_ACCESS"}
    )
    assert response.status_code == 404
    assert requests_now() == []


# --- The owner answers --------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["cart", "share"])
def test_the_owner_sees_pending_requests_and_approves_with_a_level(world, page):
    access_request_create(
        cart=world.trade_fair, actor=world.frank, permission="FULL_ACCESS", message="Banner!"
    )
    alice = world.logged_in_client(world.alice)
    url = cart_url(world.trade_fair) if page == "cart" else f"/carts/{world.trade_fair.pk}/share/"
    shown = main_text(alice.get(url))
    assert "Requests for access" in shown and "Frank Fischer" in shown and "Banner!" in shown
    asked = AccessRequest.objects.get()

    response = alice.post(
        f"/access-requests/{asked.pk}/decide/",
        {"status": "APPROVED", "permission": "FULL_ACCESS", "next": url},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == url
    assert "Frank Fischer now has full access" in main_text(response)
    assert grant_of(world, world.frank) == "FULL_ACCESS"
    asked.refresh_from_db()
    assert (asked.status, asked.granted_permission, asked.decided_by) == (
        "APPROVED",
        "FULL_ACCESS",
        world.alice,
    )
    told = Notification.objects.get(recipient=world.frank, kind="access.decided")
    assert "gave you full access" in told.text
    assert "Requests for access" not in main_text(alice.get(url))


def test_the_owner_declines_and_no_grant_changes(world):
    asked = access_request_create(
        cart=world.trade_fair, actor=world.frank, permission="FULL_ACCESS"
    )

    response = world.logged_in_client(world.alice).post(
        f"/access-requests/{asked.pk}/decide/", {"status": "DECLINED"}
    )

    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == "DECLINED"
    assert grant_of(world, world.frank) == "READ_ONLY"
    assert Notification.objects.filter(recipient=world.frank, kind="access.decided").exists()


@pytest.mark.parametrize(("person", "status"), [("frank", 403), ("bob", 404), ("carol", 404)])
def test_nobody_but_the_owner_answers_on_the_pages(world, person, status):
    asked = access_request_create(
        cart=world.trade_fair, actor=world.frank, permission="FULL_ACCESS"
    )
    client = world.logged_in_client(world.user(person))
    before = data_snapshot()

    response = client.post(f"/access-requests/{asked.pk}/decide/", {"status": "APPROVED"})

    assert response.status_code == status
    assert data_snapshot() == before
    assert "Requests for access" not in main_text(client.get(cart_url(world.trade_fair)))


def test_the_requester_withdraws_and_the_owner_may_not(world):
    asked = access_request_create(
        cart=world.trade_fair, actor=world.frank, permission="FULL_ACCESS"
    )
    alice = world.logged_in_client(world.alice)
    before = data_snapshot()
    assert alice.post(f"/access-requests/{asked.pk}/withdraw/").status_code == 403
    assert data_snapshot() == before

    response = world.logged_in_client(world.frank).post(f"/access-requests/{asked.pk}/withdraw/")

    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == "WITHDRAWN"


# --- "Request access" on the refusal page of a dead internal link -------------------------------


def dead_link(world, how: str) -> str:
    """The token of a FULL_ACCESS link of "Trade fair" that no longer works."""
    shared = world.share_link(world.trade_fair, "FULL_ACCESS")
    if how == "revoked":
        share_link_revoke(link=shared.link, actor=world.alice)
    else:
        shared.link.expires_at = timezone.now() - timedelta(minutes=1)
        shared.link.save(update_fields=["expires_at"])
    return shared.token


@pytest.mark.parametrize("how", ["revoked", "expired"])
def test_a_colleague_without_access_requests_it_from_a_dead_link(world, how):
    token = dead_link(world, how)
    greta = world.logged_in_client(world.greta)

    refusal = visit(greta, token)

    assert refusal.status_code == 410
    assert "Request access" in main_text(refusal)
    link_id = world.trade_fair.share_links.get().pk
    form = greta.get(f"/share/join/{link_id}/request-access")
    assert form.status_code == 200
    assert "Ask Alice Archer for access to “Trade fair”" in text(form)

    response = greta.post(
        f"/share/join/{link_id}/request-access",
        {"permission": "FULL_ACCESS", "message": "For the fair"},
        follow=True,
    )

    asked = AccessRequest.objects.get()
    assert (asked.requester, asked.permission, asked.message) == (
        world.greta,
        "FULL_ACCESS",
        "For the fair",
    )
    assert "Withdraw my request" in main_text(response)
    assert Notification.objects.filter(recipient=world.alice, kind="access.requested").exists()
    # The owner approves with read-only: greta can now open the cart.
    world.logged_in_client(world.alice).post(
        f"/access-requests/{asked.pk}/decide/", {"status": "APPROVED", "permission": "READ_ONLY"}
    )
    assert grant_of(world, world.greta) == "READ_ONLY"
    assert greta.get(cart_url(world.trade_fair)).status_code == 200


@pytest.mark.parametrize("person", ["carol", "dave", "erin"])
def test_someone_outside_the_unit_is_offered_nothing_and_cannot_ask(world, person):
    shared = world.share_link(world.trade_fair, "FULL_ACCESS")
    client = world.logged_in_client(world.user(person))
    assert visit(client, shared.token).status_code == 403  # opened while it still worked
    share_link_revoke(link=shared.link, actor=world.alice)

    refusal = visit(client, shared.token)

    assert refusal.status_code == 410
    assert "Request access" not in main_text(refusal)
    url = f"/share/join/{shared.link.pk}/request-access"
    before = data_snapshot()
    assert client.get(url).status_code == 403
    response = client.post(url, {"permission": "FULL_ACCESS"})
    assert response.status_code == 403
    assert "Berlin HQ" in text(response)
    assert data_snapshot() == before


def test_a_logged_out_colleague_is_offered_to_log_in_to_ask(world, client):
    token = dead_link(world, "revoked")

    refusal = client.get(f"/share/{token}")

    assert refusal.status_code == 410
    assert "Log in to request access" in main_text(refusal)
    link_id = world.trade_fair.share_links.get().pk
    to_login = client.get(f"/share/join/{link_id}/request-access")
    assert to_login.status_code == 302
    assert to_login["Location"] == f"/login/?next=/share/join/{link_id}/request-access"


def test_the_request_page_needs_the_link_opened_in_this_browser(world):
    dead_link(world, "revoked")
    link_id = world.trade_fair.share_links.get().pk
    response = world.logged_in_client(world.greta).post(
        f"/share/join/{link_id}/request-access", {"permission": "FULL_ACCESS"}
    )
    assert response.status_code == 404
    assert requests_now() == []


def test_a_pending_request_cannot_be_sent_twice_from_a_link(world):
    token = dead_link(world, "revoked")
    greta = world.logged_in_client(world.greta)
    visit(greta, token)
    link_id = world.trade_fair.share_links.get().pk
    url = f"/share/join/{link_id}/request-access"
    greta.post(url, {"permission": "FULL_ACCESS"})
    before = requests_now()

    response = greta.post(url, {"permission": "READ_ONLY"}, follow=True)

    assert requests_now() == before
    assert "has not answered yet" in text(response)


# --- Someone outside the unit: log in with another account and come back -------------------------


def test_log_in_with_another_account_comes_back_to_the_link(world):
    token = world.link(world.trade_fair, "FULL_ACCESS")
    browser = world.logged_in_client(world.carol)
    refusal = visit(browser, token)
    assert refusal.status_code == 403
    shown = main_text(refusal)
    assert "This link is for colleagues in Berlin HQ" in shown
    assert "You are logged in as Carol Conrad (carol@acme.example)" in shown
    assert "Log in with another account" in shown
    join = f"/share/join/{world.trade_fair.share_links.get().pk}"

    logged_out = browser.post("/logout/", {"next": join})

    assert logged_out.status_code == 302
    assert logged_out["Location"] == f"/login/?next={join}"
    logged_in = browser.post(
        f"/login/?next={join}", {"email": world.greta.email, "password": PASSWORD, "next": join}
    )
    assert logged_in.status_code == 302 and logged_in["Location"] == join
    accept = browser.get(join)
    assert accept.status_code == 200
    assert "Open cart" in main_text(accept)


def test_log_out_without_next_still_goes_home(world):
    response = world.logged_in_client(world.carol).post("/logout/")
    assert response.status_code == 302 and response["Location"] == "/"


def test_log_out_does_not_carry_links_that_were_not_opened(world):
    link = world.share_link(world.trade_fair, "FULL_ACCESS").link
    browser = world.logged_in_client(world.carol)
    join = f"/share/join/{link.pk}"
    browser.post("/logout/", {"next": join})
    browser.force_login(world.greta)
    assert browser.get(join).status_code == 404


def test_an_expired_link_offers_request_access_at_the_instant_it_expires(world):
    shared = world.share_link(
        world.trade_fair, "READ_ONLY", expires_at=timezone.now() + timedelta(hours=1)
    )
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        response = visit(world.logged_in_client(world.greta), shared.token)
    assert response.status_code == 410
    assert "Request access" in main_text(response)


# --- The requester's notification of the answer ---------------------------------------------


def greta_asks_through_a_dead_link(world):
    shared = world.share_link(world.trade_fair, "FULL_ACCESS")
    share_link_revoke(link=shared.link, actor=world.alice)
    return access_request_create(
        cart=world.trade_fair, actor=world.greta, permission="FULL_ACCESS", holds_link=True
    )


def test_a_declined_requester_s_notification_says_it_was_declined_and_shows_no_contents(world):
    asked = greta_asks_through_a_dead_link(world)
    world.logged_in_client(world.alice).post(
        f"/access-requests/{asked.pk}/decide/", {"status": "DECLINED"}
    )
    greta = world.logged_in_client(world.greta)
    told = Notification.objects.get(recipient=world.greta, kind="access.decided")
    answer_url = f"/carts/{world.trade_fair.pk}/my-access-request/"
    assert f'href="{answer_url}"' in main_text(greta.get("/notifications/"))
    api_url = world.api_client(world.greta).get("/notifications").json()["results"][0]["url"]
    assert api_url.endswith(answer_url)
    assert told.cart_id == world.trade_fair.pk

    answer = greta.get(answer_url)

    assert answer.status_code == 200
    shown = main_text(answer)
    assert "Your request was declined" in shown
    assert "Alice Archer declined your request for full access to the cart “Trade fair”" in shown
    assert "Ask them directly" in shown
    assert "Not found" not in shown
    for secret in ("Stapler", "Paper A4", "Bring the banner", "74.90"):
        assert secret not in shown
    assert "Open the cart" not in shown  # she has no access


def test_a_declined_reader_is_pointed_back_to_the_cart_they_can_still_see(world):
    asked = access_request_create(
        cart=world.trade_fair, actor=world.frank, permission="FULL_ACCESS"
    )
    world.logged_in_client(world.alice).post(
        f"/access-requests/{asked.pk}/decide/", {"status": "DECLINED"}
    )

    shown = main_text(
        world.logged_in_client(world.frank).get(f"/carts/{world.trade_fair.pk}/my-access-request/")
    )

    assert "Your request was declined" in shown
    assert "You still have read-only access to it." in shown
    assert "Open the cart" in shown


def test_an_approved_requester_s_notification_opens_the_cart(world):
    asked = access_request_create(
        cart=world.trade_fair, actor=world.frank, permission="FULL_ACCESS"
    )
    world.logged_in_client(world.alice).post(
        f"/access-requests/{asked.pk}/decide/", {"status": "APPROVED"}
    )

    response = world.logged_in_client(world.frank).get(
        f"/carts/{world.trade_fair.pk}/my-access-request/"
    )

    assert response.status_code == 302
    assert response["Location"] == cart_url(world.trade_fair)


@pytest.mark.parametrize("role", [role for role in ROLES if role != "read_only"] + ["staff"])
def test_nobody_but_the_requester_sees_their_answer(world, role):
    """frank (read-only) asked and was declined: every other kind of caller gets 404 (the
    owner, who answered, included: it is the requester's page), anonymous the log-in page."""
    asked = access_request_create(
        cart=world.trade_fair, actor=world.frank, permission="FULL_ACCESS"
    )
    world.logged_in_client(world.alice).post(
        f"/access-requests/{asked.pk}/decide/", {"status": "DECLINED"}
    )
    person = world.admin if role == "staff" else world.caller(role)

    response = world.logged_in_client(person).get(
        f"/carts/{world.trade_fair.pk}/my-access-request/"
    )

    if person is None:
        assert response.status_code == 302 and response["Location"].startswith("/login/")
        return
    assert response.status_code == 404
    assert "declined" not in main_text(response)


def test_a_lapsed_request_is_not_shown_as_waiting_to_its_requester(world):
    access_request_create(cart=world.trade_fair, actor=world.frank, permission="FULL_ACCESS")
    world.alice.company_user.is_active = False
    world.alice.company_user.save(update_fields=["is_active"])

    response = world.logged_in_client(world.frank).get(
        f"/carts/{world.trade_fair.pk}/my-access-request/"
    )

    assert response.status_code == 404
    assert "waiting for an answer" not in main_text(response)
