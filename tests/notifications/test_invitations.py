"""Invitations by e-mail from the Share panel and a sales representative's proposals (spec §12):
who may send, to whom, what the mail says (read from a real SMTP server) and that its link
works; a copy of a proposal keeps its note and names its preparer, who is told on copy and
order."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from cartshare.carts.models import Cart
from cartshare.notifications.models import Mail, Notification, NotificationKind
from cartshare.orders.services import cart_checkout
from cartshare.sharing.link_visits import share_link_copy
from cartshare.sharing.models import ShareLink
from tests.mail_sink import html_of, run_worker, text_of
from tests.world import CALLERS

EXPECTED_PAGE = {
    "anonymous": 302,
    "owner": 302,
    "full_access": 403,
    "read_only": 403,
    "other_unit": 404,
    "other_company": 404,
    "b2c": 404,
}


def link_in(text: str) -> str:
    found = re.search(r"http://\S+/share/\S+", text)
    assert found, text
    return found.group(0)


@pytest.mark.parametrize("caller", CALLERS)
def test_the_share_panel_form_for_every_kind_of_caller(world, caller):
    client = world.logged_in_client(world.caller(caller))
    response = client.post(
        f"/carts/{world.trade_fair.pk}/invitations/",
        {"emails": "friend@example.org", "share_option": "PREVIEW", "message": "Look!"},
    )
    assert response.status_code == EXPECTED_PAGE[caller]
    if caller == "owner":
        assert response["Location"] == f"/carts/{world.trade_fair.pk}/share/"
        mail = Mail.objects.get()
        assert (mail.to_address, mail.kind) == ("friend@example.org", "invitation")
    else:
        assert not Mail.objects.exists()
        assert not ShareLink.objects.exists()
    if caller == "anonymous":
        assert response["Location"].startswith("/login/")


def test_the_panel_shows_the_form_to_the_owner_with_the_colleagues_of_the_unit(world):
    page = world.logged_in_client(world.alice).get(f"/carts/{world.trade_fair.pk}/share/")
    html = page.content.decode()
    assert f'action="/carts/{world.trade_fair.pk}/invitations/"' in html
    assert "Greta Gruber &lt;greta@acme.example&gt;" in html
    assert "carol@acme.example" not in html  # another unit


def test_preview_to_anyone_internal_only_to_colleagues_and_the_mail_says_what_they_can_do(
    world, smtp_sink
):
    api = world.api_client(world.alice)
    response = api.post(
        f"/carts/{world.trade_fair.pk}/invitations",
        {
            "emails": ["Greta@acme.example", "dave@globex.example"],
            "share_option": "FULL_ACCESS",
            "message": "Please finish the order.",
        },
    )
    assert response.status_code == 202
    body = response.json()
    assert body["sent"] == ["greta@acme.example"]
    assert [entry["email"] for entry in body["refused"]] == ["dave@globex.example"]
    assert "only be sent to active colleagues" in body["refused"][0]["reason"]
    preview = api.post(
        f"/carts/{world.trade_fair.pk}/invitations",
        {"emails": ["dave@globex.example"], "share_option": "PREVIEW"},
    )
    assert preview.json() == {"sent": ["dave@globex.example"], "refused": []}

    run_worker()

    to_greta = smtp_sink.one_to("greta@acme.example")
    assert to_greta["Subject"] == "Alice Archer invited you to the cart 'Trade fair'"
    text = text_of(to_greta)
    assert "change the cart's items, comment and place the order" in text
    assert "Please finish the order." in text and "Please finish the order." in html_of(to_greta)
    to_dave = smtp_sink.one_to("dave@globex.example")
    assert "see the cart's items and totals without logging in" in text_of(to_dave)
    # The link in the mail works: the preview opens for anyone.
    page = Client().get(link_in(text_of(to_dave)).replace("http://127.0.0.1:8000", ""))
    assert page.status_code == 200 and b"Stapler" in page.content
    assert "/share/" not in str(Mail.objects.values_list("context", flat=True)[0])  # no token


def test_at_most_twenty_addresses_and_a_limit_per_owner(world, settings):
    api = world.api_client(world.alice)
    many = [f"person{n}@example.org" for n in range(21)]
    refused = api.post(
        f"/carts/{world.trade_fair.pk}/invitations", {"emails": many, "share_option": "PREVIEW"}
    )
    assert refused.status_code == 422
    assert not Mail.objects.exists()

    settings.CARTSHARE_INVITATION_RATE_LIMIT = "2/h"
    body = {"emails": ["a@example.org"], "share_option": "PREVIEW"}
    statuses = [
        api.post(f"/carts/{world.trade_fair.pk}/invitations", body).status_code for _ in range(3)
    ]
    assert statuses == [202, 202, 429]
    assert Mail.objects.count() == 2


def test_a_b2c_owner_can_send_the_preview_only(world):
    cart = world.own_cart("erin")
    response = world.api_client(world.erin).post(
        f"/carts/{cart.pk}/invitations", {"emails": ["x@example.org"], "share_option": "READ_ONLY"}
    )
    assert response.status_code == 422
    assert not Mail.objects.exists()


def test_a_mail_whose_link_was_revoked_before_it_left_is_not_sent(world, smtp_sink):
    world.api_client(world.alice).post(
        f"/carts/{world.trade_fair.pk}/invitations",
        {"emails": ["x@example.org"], "share_option": "PREVIEW"},
    )
    ShareLink.objects.update(revoked_at="2026-01-01T00:00:00Z")
    run_worker()
    assert smtp_sink.messages == []
    assert Mail.objects.get().status == "failed"


def test_a_proposal_copy_keeps_the_note_and_tells_the_preparer_on_copy_and_order(world, smtp_sink):
    sam = world.user("erin")  # a customer without a company, as a sales representative is
    proposal = world.cart(
        sam, "Proposal for Globex", items={world.desk: 1, world.pens: 4}, note="Prices until May"
    )
    response = world.api_client(sam).post(
        f"/carts/{proposal.pk}/invitations",
        {"emails": ["dave@globex.example"], "share_option": "PREVIEW", "proposal": True},
    )
    assert response.status_code == 202
    run_worker()
    mail = smtp_sink.one_to("dave@globex.example")
    assert mail["Subject"] == "Erin Evans prepared a proposal for you: 'Proposal for Globex'"
    assert "Prices until May" in text_of(mail)

    link = ShareLink.objects.get(cart=proposal)
    copy = share_link_copy(link_id=link.pk, actor=world.dave)
    copy = Cart.objects.get(pk=copy.pk)
    assert (copy.note, copy.prepared_by, copy.prepared_from_id) == (
        "Prices until May",
        sam,
        proposal.pk,
    )
    page = world.logged_in_client(world.dave).get(f"/carts/{copy.pk}/").content.decode()
    assert "Prepared by Erin Evans" in page
    cart_checkout(cart=copy, actor=world.dave)
    run_worker()

    told = list(Notification.objects.filter(recipient=sam).order_by("pk"))
    assert [entry.kind for entry in told] == [
        NotificationKind.PROPOSAL_COPIED,
        NotificationKind.CART_ORDERED,
    ]
    assert all(entry.cart_id == proposal.pk for entry in told)
    subjects = [str(message["Subject"]) for message in smtp_sink.to("erin@example.com")]
    assert subjects[0] == "Dave Dunn copied your proposal 'Proposal for Globex'"
    assert subjects[1].startswith("Dave Dunn ordered your proposal 'Proposal for Globex' (CS-")


def test_a_proposal_is_sent_as_a_preview_only(world):
    response = world.api_client(world.alice).post(
        f"/carts/{world.trade_fair.pk}/invitations",
        {"emails": ["greta@acme.example"], "share_option": "READ_ONLY", "proposal": True},
    )
    assert response.status_code == 422
