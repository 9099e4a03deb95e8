"""In Chromium, on a desktop (1280x800) and a phone (390x844) screen, without a line of JavaScript
of ours (issue 14 part 2, spec §11): a read-only colleague asks for edit access with a message,
the owner approves it on the cart page with a level, and both are told in the shop and by mail
(a real SMTP server, tests/mail_sink.py); a colleague holding a revoked link requests access from
its refusal page, is declined, and her notification says so plainly; someone outside the unit
reads why the link opens nothing, logs in with another account and comes back to the link. axe
runs on every page they visit: no critical or serious violation."""

import pytest

from cartshare.sharing.link_services import share_link_revoke
from cartshare.sharing.models import AccessRequest, CartShare
from tests.browser.conftest import logged_in_page
from tests.browser.screens import SCREENS, look, on_screen
from tests.mail_sink import run_worker, text_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def grant_of(world, person) -> str | None:
    grant = CartShare.objects.filter(cart=world.trade_fair, company_user__customer=person).first()
    return grant.permission if grant else None


@pytest.mark.parametrize("screen", list(SCREENS))
def test_frank_asks_for_edit_access_and_alice_approves_it(
    new_page, live_server, world, screen, smtp_sink, settings
):
    settings.CARTSHARE_BASE_URL = live_server.url
    frank = on_screen(logged_in_page(new_page, live_server, world.frank), screen)
    frank.goto(f"/carts/{world.trade_fair.pk}/")
    frank.get_by_label("Message to Alice Archer (optional)").fill("I need to add the banner.")
    look(frank, "ask", screen)
    frank.get_by_role("button", name="Ask for edit access").click()
    look(frank, "asked", screen)
    assert frank.get_by_text("is sent to Alice Archer").is_visible()
    assert frank.get_by_role("button", name="Withdraw my request").is_visible()
    assert AccessRequest.objects.get().message == "I need to add the banner."
    run_worker()
    asked_mail = smtp_sink.one_to(world.alice.email)
    assert asked_mail["Subject"] == ("Frank Fischer asks for full access to the cart 'Trade fair'")
    assert "I need to add the banner." in text_of(asked_mail)

    alice = on_screen(logged_in_page(new_page, live_server, world.alice), screen)
    alice.goto(f"/carts/{world.trade_fair.pk}/")
    requests = alice.get_by_role("region", name="Requests for access")
    assert requests.get_by_text("I need to add the banner.").is_visible()
    look(alice, "pending", screen)
    requests.get_by_label("Give Frank Fischer").select_option(label="Full access")
    requests.get_by_role("button", name="Approve").click()
    look(alice, "approved", screen)
    assert alice.get_by_text("Frank Fischer now has full access to “Trade fair”.").is_visible()
    assert grant_of(world, world.frank) == "FULL_ACCESS"

    frank.goto("/")
    frank.get_by_role("link", name="Notifications").click()
    look(frank, "told-approved", screen)
    told = frank.get_by_role("link", name="gave you full access to the cart 'Trade fair'")
    told.click()
    look(frank, "approved-cart", screen)
    assert frank.url.endswith(f"/carts/{world.trade_fair.pk}/")
    run_worker()
    decided_mail = smtp_sink.one_to(world.frank.email)
    assert decided_mail["Subject"] == "Alice Archer gave you full access to the cart 'Trade fair'"
    assert f"{live_server.url}/carts/{world.trade_fair.pk}/" in text_of(decided_mail)


@pytest.mark.parametrize("screen", list(SCREENS))
def test_greta_requests_access_from_a_revoked_link_and_is_told_it_was_declined(
    new_page, live_server, world, screen, smtp_sink, settings
):
    settings.CARTSHARE_BASE_URL = live_server.url
    shared = world.share_link(world.trade_fair, "FULL_ACCESS")
    share_link_revoke(link=shared.link, actor=world.alice)
    greta = on_screen(logged_in_page(new_page, live_server, world.greta), screen)
    greta.goto(f"/share/{shared.token}")
    assert greta.get_by_role("heading", name="This link no longer works").is_visible()
    look(greta, "refusal", screen)
    greta.get_by_role("link", name="Request access").click()
    greta.get_by_label("Level of access").select_option(label="Read-only")
    greta.get_by_label("Message to Alice Archer (optional)").fill("To check the order")
    look(greta, "request", screen)
    greta.get_by_role("button", name="Request access").click()
    look(greta, "requested", screen)
    assert greta.get_by_role("button", name="Withdraw my request").is_visible()
    asked = AccessRequest.objects.get()
    assert (asked.requester, asked.permission, asked.message) == (
        world.greta,
        "READ_ONLY",
        "To check the order",
    )

    alice = on_screen(logged_in_page(new_page, live_server, world.alice), screen)
    alice.goto(f"/carts/{world.trade_fair.pk}/")
    requests = alice.get_by_role("region", name="Requests for access")
    requests.get_by_role("button", name="Decline").click()
    look(alice, "declined-owner", screen)
    assert alice.get_by_text("You declined Greta Gruber's request.").is_visible()

    greta.goto("/")
    greta.get_by_role("link", name="Notifications").click()
    look(greta, "told-declined", screen)
    greta.get_by_role("link", name="declined your request for read-only access").click()
    look(greta, "declined", screen)
    assert greta.get_by_role("heading", name="Your request was declined").is_visible()
    main = greta.get_by_role("main").inner_text()
    assert "Alice Archer declined your request for read-only access" in main
    assert "Ask them directly" in main
    for secret in ("Not found", "Stapler", "Paper A4", "Bring the banner"):
        assert secret not in main
    run_worker()
    mail = smtp_sink.one_to(world.greta.email)
    assert mail["Subject"] == "Alice Archer declined your request for access to 'Trade fair'"


@pytest.mark.parametrize("screen", list(SCREENS))
def test_carol_from_another_unit_logs_in_with_another_account_and_comes_back_to_the_link(
    new_page, live_server, world, screen
):
    token = world.link(world.trade_fair, "FULL_ACCESS")
    page = on_screen(logged_in_page(new_page, live_server, world.carol), screen)
    page.goto(f"/share/{token}")
    look(page, "other-unit", screen)
    assert page.get_by_role("heading", name="This link is not for your account").is_visible()
    main = page.get_by_role("main").inner_text()
    assert "This link is for colleagues in Berlin HQ" in main
    assert "You are logged in as Carol Conrad (carol@acme.example)" in main
    assert "Stapler" not in main and "Trade fair" not in main
    page.get_by_role("button", name="Log in with another account").click()
    look(page, "other-account-login", screen)
    assert "/login/" in page.url
    page.get_by_label("E-mail").fill(world.greta.email)
    page.get_by_label("Password").fill("demo1234")
    page.get_by_role("button", name="Log in").click()
    look(page, "back-at-the-link", screen)
    assert "/share/join/" in page.url  # back at the link, not on the home page
    page.get_by_role("button", name="Open cart").click()
    page.wait_for_url(f"**/carts/{world.trade_fair.pk}/")
    look(page, "joined", screen)
    assert grant_of(world, world.greta) == "FULL_ACCESS"
