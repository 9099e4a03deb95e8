"""Every mail goes out in its recipient's language (Customer.language), read back from a real SMTP
server: subject, body, money and the unsubscribe lines. The task worker writes it when it leaves;
a recipient who never chose a language gets a notification in the shop's default, and a mail
they asked for themselves (or one to an address without an account) in the language of the page
it was asked from."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.test import Client
from django.utils import timezone, translation

from cartshare.accounts.models import Customer
from cartshare.comments.services import comment_create
from cartshare.notifications.models import Mail, Notification
from cartshare.orders.services import cart_checkout
from cartshare.sharing.access_requests import access_request_create, access_request_decide
from tests.mail_sink import html_of, run_worker, text_of

NBSP = "\N{NO-BREAK SPACE}"
GERMAN = {"HTTP_ACCEPT_LANGUAGE": "de"}


def speaks(person: Customer, language: str) -> None:
    Customer.objects.filter(pk=person.pk).update(language=language)
    person.language = language


def test_a_german_recipient_reads_german_and_an_english_one_english(world, smtp_sink):
    speaks(world.frank, "de")
    speaks(world.alice, "en")
    order = cart_checkout(cart=world.trade_fair, actor=world.bob)
    run_worker()

    to_frank = smtp_sink.one_to("frank@acme.example")
    assert to_frank["Subject"] == (
        f"Bob Brandt hat den Warenkorb „Trade fair“ bestellt ({order.reference})"
    )
    text = text_of(to_frank)
    assert f"aus dem Warenkorb „Trade fair“ aufgegeben (74,90{NBSP}€)" in text
    assert "Sie erhalten diese E-Mail, weil Sie den Warenkorb „Trade fair“ sehen können." in text
    assert "Keine solchen E-Mails mehr (wenn ein geteilter Warenkorb oder Ihr Angebot" in text
    assert "You get this mail" not in text and "Look at the cart" not in text
    html = html_of(to_frank)
    assert '<html lang="de">' in html and ">Warenkorb ansehen</a>" in html

    to_alice = smtp_sink.one_to("alice@acme.example")
    assert to_alice["Subject"] == f"Bob Brandt ordered the cart 'Trade fair' ({order.reference})"
    assert "(€74.90)." in text_of(to_alice)
    assert '<html lang="en">' in html_of(to_alice)


def test_the_bell_tells_each_person_in_their_language(world):
    speaks(world.frank, "de")
    order = cart_checkout(cart=world.trade_fair, actor=world.bob)
    assert Notification.objects.get(recipient=world.frank).text == (
        f"Bob Brandt hat den Warenkorb „Trade fair“ bestellt ({order.reference}, 74,90{NBSP}€)."
    )
    assert Notification.objects.get(recipient=world.alice).text == (
        f"Bob Brandt ordered the cart 'Trade fair' ({order.reference}, €74.90)."
    )


def test_the_mail_is_written_when_it_leaves_in_the_language_chosen_by_then(world, smtp_sink):
    cart_checkout(cart=world.trade_fair, actor=world.bob)
    speaks(world.alice, "de")  # after the mail was queued, before it left
    run_worker()
    assert smtp_sink.one_to("alice@acme.example")["Subject"].startswith(
        "Bob Brandt hat den Warenkorb „Trade fair“ bestellt"
    )
    assert translation.get_language() == "en"  # the worker's language did not leak


def test_a_recipient_who_never_chose_gets_the_default_whatever_the_actor_speaks(world, smtp_sink):
    assert world.alice.language == ""
    with translation.override("de"):  # bob orders from a German page
        cart_checkout(cart=world.trade_fair, actor=world.bob)
    run_worker()
    assert smtp_sink.one_to("alice@acme.example")["Subject"].startswith(
        "Bob Brandt ordered the cart 'Trade fair'"
    )


def test_comments_grouped_into_one_mail_are_counted_in_german(world, smtp_sink):
    speaks(world.alice, "de")
    comment_create(cart=world.trade_fair, actor=world.bob, text="Brauchen wir mehr Papier?")
    comment_create(cart=world.trade_fair, actor=world.frank, text="Zehn Pakete reichen.")
    with time_machine.travel(timezone.now() + timedelta(minutes=5), tick=True):
        run_worker()

    to_alice = smtp_sink.one_to("alice@acme.example")
    assert to_alice["Subject"] == (
        "2 neue Kommentare zum Warenkorb „Trade fair“ von Bob Brandt, Frank Fischer"
    )
    text = text_of(to_alice)
    assert "Zum Warenkorb „Trade fair“ wurden 2 neue Kommentare geschrieben:" in text
    assert "Bob Brandt schrieb:\r\nBrauchen wir mehr Papier?" in text
    assert "Zur Diskussion" in text
    assert Mail.objects.get(to_address="alice@acme.example").subject == to_alice["Subject"]


def test_access_requests_and_answers_name_the_level_in_german(world, smtp_sink):
    speaks(world.alice, "de")
    speaks(world.frank, "de")
    asked = access_request_create(
        cart=world.trade_fair, actor=world.frank, permission="FULL_ACCESS", message="Bitte."
    )
    access_request_decide(access_request=asked, actor=world.alice, status="APPROVED")
    run_worker()

    to_owner = smtp_sink.one_to("alice@acme.example")
    assert (
        to_owner["Subject"] == "Frank Fischer fragt Vollzugriff auf den Warenkorb „Trade fair“ an"
    )
    assert "Anfrage beantworten" in text_of(to_owner)
    to_requester = smtp_sink.one_to("frank@acme.example")
    assert to_requester["Subject"] == (
        "Alice Archer hat Ihnen Vollzugriff auf den Warenkorb „Trade fair“ gegeben"
    )
    assert "Sie haben jetzt Vollzugriff auf den Warenkorb „Trade fair“." in text_of(to_requester)


def test_a_reset_asked_for_from_a_german_page_is_german(world, smtp_sink):
    assert Customer.objects.get(email="erin@example.com").language == ""
    Client(**GERMAN).post("/password-reset/", {"email": "erin@example.com"})
    Client().post("/password-reset/", {"email": "bob@acme.example"})
    run_worker()

    to_erin = smtp_sink.one_to("erin@example.com")
    assert to_erin["Subject"] == "Ihr Cartshare-Passwort zurücksetzen"
    text = text_of(to_erin)
    assert "Hallo Erin Evans" in text and "ist 3 Tage gültig" in text
    assert "Neues Passwort wählen: http://" in text
    assert smtp_sink.one_to("bob@acme.example")["Subject"] == "Reset your Cartshare password"


def test_a_chosen_language_wins_over_the_page_the_reset_was_asked_from(world, smtp_sink):
    speaks(world.bob, "en")
    Client(**GERMAN).post("/password-reset/", {"email": "bob@acme.example"})
    run_worker()
    assert smtp_sink.one_to("bob@acme.example")["Subject"] == "Reset your Cartshare password"


def test_an_invitation_to_an_address_is_written_in_the_senders_page_language(world, smtp_sink):
    alice = world.logged_in_client(world.alice)
    alice.defaults.update(GERMAN)
    response = alice.post(
        f"/carts/{world.trade_fair.pk}/invitations/",
        {"emails": "freund@example.org", "share_option": "PREVIEW", "message": "Schau mal!"},
    )
    assert response.status_code == 302
    run_worker()

    invitation = smtp_sink.one_to("freund@example.org")
    assert invitation["Subject"] == "Alice Archer hat Sie zum Warenkorb „Trade fair“ eingeladen"
    text = text_of(invitation)
    assert "Mit diesem Link sehen Sie die Positionen und Summen des Warenkorbs" in text
    assert "Alice Archer schrieb:\r\nSchau mal!" in text
    assert "Warenkorb öffnen: http://" in text
