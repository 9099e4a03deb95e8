"""Every kind of notification mail, read back from a real SMTP server: who gets it, its subject,
its reason, and that each person's settings and one-click unsubscribe are obeyed (spec §12)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlparse

import time_machine
from django.test import Client
from django.utils import timezone

from cartshare.comments.services import comment_create
from cartshare.notifications.models import Mail, Notification, NotificationKind
from cartshare.notifications.services import notification_settings_update
from cartshare.orders.services import cart_checkout
from cartshare.sharing.services import cart_share_update, cart_shares_set
from tests.mail_sink import html_of, run_worker, text_of


def run_worker_later(minutes: int = 5) -> None:
    """Comment mails wait a few minutes for more comments; run the worker once they are due."""
    with time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=True):
        run_worker()


def test_a_raised_level_is_told_and_a_lowered_one_is_not(world, smtp_sink):
    frank_grant = world.trade_fair.shares.get(company_user__customer=world.frank)
    cart_share_update(share=frank_grant, actor=world.alice, permission="FULL_ACCESS")
    bob_grant = world.trade_fair.shares.get(company_user__customer=world.bob)
    cart_share_update(share=bob_grant, actor=world.alice, permission="READ_ONLY")
    run_worker()

    message = smtp_sink.one_to("frank@acme.example")
    assert message["Subject"] == "Alice Archer gave you full access to the cart 'Trade fair'"
    assert smtp_sink.to("bob@acme.example") == []
    assert Notification.objects.get(recipient=world.frank).text == (
        "Alice Archer raised your access to the cart 'Trade fair' to full access."
    )
    assert not Notification.objects.filter(recipient=world.bob).exists()


def test_the_share_page_tells_each_colleague_given_access(world, smtp_sink):
    cart_shares_set(
        cart=world.office_supplies,
        actor=world.alice,
        permissions={world.company_user("greta").pk: "READ_ONLY"},
    )
    run_worker()
    message = smtp_sink.one_to("greta@acme.example")
    assert "read-only access" in text_of(message)
    assert "comment" in text_of(message)


def test_comments_within_minutes_reach_each_reader_as_one_mail_but_not_their_author(
    world, smtp_sink
):
    comment_create(cart=world.trade_fair, actor=world.bob, text="Do we need more paper?")
    comment_create(cart=world.trade_fair, actor=world.frank, text="Ten packs should do.")
    run_worker()
    assert smtp_sink.messages == []  # the first comment mail waits for more

    run_worker_later()

    to_alice = smtp_sink.one_to("alice@acme.example")
    assert to_alice["Subject"] == (
        "2 new comments on the cart 'Trade fair' from Bob Brandt, Frank Fischer"
    )
    text = text_of(to_alice)
    assert "Do we need more paper?" in text and "Ten packs should do." in text
    assert "because you can see the cart 'Trade fair'" in text
    assert "Ten packs should do." in html_of(to_alice)
    to_bob = smtp_sink.one_to("bob@acme.example")  # frank's comment only: not his own
    assert to_bob["Subject"] == "Frank Fischer commented on the cart 'Trade fair'"
    assert "Do we need more paper?" not in text_of(to_bob)
    assert smtp_sink.to("greta@acme.example") == []  # no access to the cart: never told
    assert len(smtp_sink.to("frank@acme.example")) == 1
    assert Notification.objects.filter(kind=NotificationKind.COMMENT_CREATED).count() == 4


def test_a_mention_by_name_is_its_own_mail(world, smtp_sink):
    comment_create(cart=world.trade_fair, actor=world.alice, text="@Bob Brandt can you check?")
    run_worker()

    to_bob = smtp_sink.one_to("bob@acme.example")
    assert to_bob["Subject"] == "Alice Archer mentioned you on the cart 'Trade fair'"
    assert "@Bob Brandt can you check?" in text_of(to_bob)
    assert "because Alice Archer mentioned you by name" in text_of(to_bob)
    bob_told = Notification.objects.get(recipient=world.bob)
    assert bob_told.kind == NotificationKind.COMMENT_MENTION
    frank_told = Notification.objects.get(recipient=world.frank)
    assert frank_told.kind == NotificationKind.COMMENT_CREATED


def test_a_mention_of_someone_without_access_tells_nobody_new(world, smtp_sink):
    comment_create(cart=world.trade_fair, actor=world.alice, text="@Greta Gruber look")
    run_worker_later()
    assert not Notification.objects.filter(recipient=world.greta).exists()
    assert smtp_sink.to("greta@acme.example") == []


def test_an_order_of_a_shared_cart_tells_the_owner_and_the_grantees(world, smtp_sink):
    order = cart_checkout(cart=world.trade_fair, actor=world.bob)
    run_worker()

    to_alice = smtp_sink.one_to("alice@acme.example")
    assert to_alice["Subject"] == f"Bob Brandt ordered the cart 'Trade fair' ({order.reference})"
    assert "€74.90" in text_of(to_alice)
    assert len(smtp_sink.to("frank@acme.example")) == 1
    assert smtp_sink.to("bob@acme.example") == []  # who ordered is not told


def test_a_kind_switched_off_is_not_mailed_but_still_shown(world, smtp_sink):
    notification_settings_update(customer=world.alice, changes={"orders": False})
    cart_checkout(cart=world.trade_fair, actor=world.bob)
    run_worker()
    assert smtp_sink.to("alice@acme.example") == []
    assert Notification.objects.filter(recipient=world.alice).count() == 1


def test_one_click_unsubscribe_turns_that_kind_off(world, smtp_sink):
    cart_checkout(cart=world.trade_fair, actor=world.bob)
    run_worker()
    header = str(smtp_sink.one_to("alice@acme.example")["List-Unsubscribe"]).strip()
    path = urlparse(header.strip("<>")).path

    page = Client().get(path)
    assert page.status_code == 200
    assert b"Stop these e-mails?" in page.content
    assert (
        Client(enforce_csrf_checks=True)
        .post(path, data={"List-Unsubscribe": "One-Click"})
        .status_code
        == 200
    )

    world.trade_fair.refresh_from_db()
    other = world.cart(world.alice, "Second", items={world.pens: 1})
    world.share(other, world.bob, "FULL_ACCESS")
    cart_checkout(cart=other, actor=world.bob)
    run_worker()
    assert len(smtp_sink.to("alice@acme.example")) == 1  # the first one only
    assert Mail.objects.filter(to_address="alice@acme.example").count() == 1


def test_a_forged_unsubscribe_link_changes_nothing(world):
    response = Client().post("/notifications/unsubscribe/not-a-token/")
    assert response.status_code == 404
