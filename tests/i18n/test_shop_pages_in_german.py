"""The catalog, checkout, order, account and notification pages in German: a visitor whose
browser asks for German (Accept-Language: de) reads German headings, labels, buttons and form
errors there, and the English text they replace is gone. Without the header they stay English
(the rest of the suite reads them in English)."""

from __future__ import annotations

import pytest
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cartshare.accounts.models import Customer
from cartshare.notifications.mails import unsubscribe_token
from cartshare.notifications.models import EmailSetting
from cartshare.notifications.services import notification_settings_get, notify_cart_shared
from cartshare.orders.models import Order
from cartshare.orders.services import cart_checkout

pytestmark = pytest.mark.django_db

GERMAN = {"HTTP_ACCEPT_LANGUAGE": "de"}
NBSP = "\N{NO-BREAK SPACE}"


def in_german(client: Client) -> Client:
    client.defaults.update(GERMAN)
    return client


def page_of(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def assert_german(page: str, german: list[str], english: list[str]) -> None:
    missing = [text for text in german if text not in page]
    left = [text for text in english if text in page]
    assert not missing and not left, f"German missing: {missing}; English left: {left}"


def url(name: str, *args: object) -> str:
    return reverse(f"storefront:{name}", args=args)


def test_the_home_page_in_german(world):
    response = in_german(Client()).get("/")
    assert response.status_code == 200
    assert response["Content-Language"] == "de"
    assert_german(
        page_of(response),
        german=[
            "Büromaterial für das ganze Team",
            ">Konto erstellen</a>",
            ">Anmelden</a>",
            "Alle Produkte",
            "5 Produkte",
            "Art.-Nr. STAPLER-1",
            f"12,50{NBSP}€",
            ">Menge</label>",
            ">In den Warenkorb</button>",
        ],
        english=["Office supplies for the whole team", "Add to cart", "All products", "SKU "],
    )


def test_a_search_without_results_in_german(world):
    client = in_german(world.logged_in_client(world.alice))
    response = client.get("/", {"q": "zzz"})
    assert response.status_code == 200
    assert_german(
        page_of(response),
        german=[
            "Ergebnisse für „zzz“",
            "0 Produkte",
            "Keine Produkte zu „zzz“",
            "Prüfen Sie die Schreibweise",
            "„In den Warenkorb“ füllt",
            "Diesen Warenkorb füllen",
            "Alle Produkte ansehen",
        ],
        english=["No products match", "Check the spelling", "Fill this cart", "0 products"],
    )


def test_an_unknown_category_is_told_in_german(world):
    response = in_german(Client()).get("/", {"category": "nonsense"})
    assert_german(
        page_of(response),
        german=["Diese Kategorie gibt es nicht; stattdessen sehen Sie alle Produkte."],
        english=["That category does not exist"],
    )


def test_the_product_page_in_german(world):
    alice = in_german(world.logged_in_client(world.alice))
    response = alice.get(url("product_detail", world.stapler.sku))
    assert response.status_code == 200
    assert_german(
        page_of(response),
        german=[
            "pro Stück, inkl. MwSt.",
            ">Ziel-Warenkorb</label>",
            "„In den Warenkorb“ füllt Ihren aktiven Warenkorb",
            "er wird dann Ihr aktiver Warenkorb",
            "<h2>Beschreibung</h2>",
            'aria-label="Brotkrümelnavigation"',
        ],
        english=["per piece", "Into cart", "fills your active cart", "Description"],
    )
    anonymous = in_german(Client()).get(url("product_detail", world.stapler.sku))
    assert_german(
        page_of(anonymous),
        german=["Melden Sie sich an</a>, um Produkte in Ihre Warenkörbe zu legen."],
        english=["to add products to your carts"],
    )


def test_the_checkout_pages_in_german(world):
    alice = in_german(world.logged_in_client(world.alice))
    cart = world.trade_fair
    review = alice.get(url("cart_checkout", cart.pk))
    assert review.status_code == 200
    assert_german(
        page_of(review),
        german=[
            "Kasse: Trade fair",
            "Prüfen",
            "Positionen in diesem Warenkorb",
            '<th scope="col" class="num">Stückpreis</th>',
            "Gesamt (12 Stück)",
            f"74,90{NBSP}€",
            "Interne Bestellnummer (optional)",
            "Inhaber des Warenkorbs: Alice Archer.",
            "Weiter zur Bestätigung",
        ],
        english=["Checkout:", "Purchase-order number", "Continue to confirmation", "Unit price"],
    )
    confirm = alice.post(
        url("cart_checkout_confirm", cart.pk),
        {"version": str(cart.version), "purchase_order_number": "PO-17"},
    )
    assert confirm.status_code == 200
    assert_german(
        page_of(confirm),
        german=[
            "<h1>Bestellung bestätigen</h1>",
            'data-busy-text="Bestellung wird aufgegeben …">Zahlungspflichtig bestellen</button>',
            "Zurück: interne Bestellnummer ändern",
            "Bestellt von",
            "PO-17",
        ],
        english=["Confirm your order", "Place order", "Placing your order", "Ordered by"],
    )


def test_placing_the_order_thanks_in_german_and_the_order_pages_are_german(world):
    alice = in_german(world.logged_in_client(world.alice))
    cart = world.trade_fair
    placed = alice.post(
        url("cart_checkout_place", cart.pk),
        {"version": str(cart.version), "purchase_order_number": "PO-17"},
        follow=True,
    )
    order = Order.objects.get()
    assert placed.redirect_chain[-1] == (url("order_detail", order.reference), 302)
    with translation.override("de"):
        when = f"{order.created_at.day}. Dez. {order.created_at.year}"
    assert_german(
        page_of(placed),
        german=[
            f"Vielen Dank! Ihre Bestellung {order.reference} wurde aufgegeben.",
            f"<h1>Bestellung {order.reference}</h1>",
            "Bestellte Positionen",
            "Preise zum Zeitpunkt der Bestellung.",
            "<dt>Bestellt am</dt>",
            "<dt>Interne Bestellnummer</dt><dd>PO-17</dd>",
            "Weiter einkaufen",
        ]
        + ([when] if order.created_at.month == 12 else []),
        english=["Thank you!", "Items ordered", "Placed by", "Continue shopping"],
    )
    history = alice.get(url("order_list"))
    assert_german(
        page_of(history),
        german=[
            "<h1>Meine Bestellungen</h1>",
            "Bestellungen, die Sie aufgegeben haben",
            '<td data-label="Bestellt von">Sie</td>',
            '<th scope="col" class="num">Stück</th>',
        ],
        english=["<h1>My orders</h1>", "Orders you placed", ">You<"],
    )


def test_a_refused_checkout_in_german(world):
    bob = in_german(world.logged_in_client(world.bob))
    response = bob.get(url("cart_checkout", world.own_cart("bob").pk))
    assert response.status_code == 409
    assert_german(
        page_of(response),
        german=["<h1>Die Bestellung ist nicht möglich</h1>", "Zurück zum Warenkorb"],
        english=["Checkout is not possible", "Back to the cart", "Browse products"],
    )
    order = cart_checkout(cart=world.trade_fair, actor=world.alice)
    again = in_german(world.logged_in_client(world.alice)).get(
        url("cart_checkout", world.trade_fair.pk)
    )
    assert again.status_code == 409
    assert f"Bestellung {order.reference} ansehen" in page_of(again)


def test_the_login_page_and_its_errors_in_german(world):
    visitor = in_german(Client())
    form = visitor.get(url("login"))
    assert_german(
        page_of(form),
        german=[
            "<h1>Anmelden</h1>",
            "Passwort vergessen?",
            "Neu hier?",
            '"Bei Cartshare anmelden"',
        ],
        english=["Welcome back. Log in", "Forgot your password?", "New here?"],
    )
    refused = visitor.post(url("login"), {"email": "alice@acme.example", "password": "wrong"})
    assert refused.status_code == 400
    assert "Zu dieser E-Mail-Adresse und diesem Passwort gibt es kein Konto." in page_of(refused)
    empty = visitor.post(url("login"), {"email": "not an address", "password": ""})
    assert_german(
        page_of(empty),
        german=["Geben Sie eine gültige E-Mail-Adresse ein", "Geben Sie Ihr Passwort ein."],
        english=["Enter a valid e-mail address", "Enter your password."],
    )


def test_logging_in_and_out_is_told_in_german(world):
    visitor = in_german(Client())
    welcome = visitor.post(
        url("login"), {"email": "alice@acme.example", "password": "demo1234"}, follow=True
    )
    assert "Willkommen zurück, Alice Archer." in page_of(welcome)
    ask = visitor.get(url("logout"))
    assert "Sie sind als <strong>Alice Archer</strong>" in page_of(ask)
    bye = visitor.post(url("logout"), follow=True)
    assert "Sie sind abgemeldet. Bis bald!" in page_of(bye)


def test_the_registration_page_and_its_errors_in_german(world):
    visitor = in_german(Client())
    form = visitor.get(url("register"))
    assert_german(
        page_of(form),
        german=["<h1>Konto erstellen</h1>", "Ihr Name", "Passwort wiederholen", "Mindestens 8"],
        english=["Create an account", "Your name", "Password again", "At least 8"],
    )
    refused = visitor.post(
        url("register"),
        {"name": "", "email": "alice@acme.example", "password1": "a", "password2": "b"},
    )
    assert refused.status_code == 400
    assert_german(
        page_of(refused),
        german=[
            "Geben Sie Ihren Namen ein.",
            "Mit dieser E-Mail-Adresse gibt es bereits ein Konto.",
            "Die beiden Passwörter stimmen nicht überein.",
        ],
        english=["Enter your name.", "There is already an account", "not the same"],
    )


def test_registering_welcomes_in_german(world):
    visitor = in_german(Client())
    welcome = visitor.post(
        url("register"),
        {
            "name": "Hanna Huber",
            "email": "hanna@example.com",
            "password1": "Sicher-2026!",
            "password2": "Sicher-2026!",
        },
        follow=True,
    )
    assert "Willkommen bei Cartshare, Hanna Huber." in page_of(welcome)


def test_the_password_change_page_keeps_djangos_german_validator_messages(world):
    alice = in_german(world.logged_in_client(world.alice))
    form = alice.get(url("password_change"))
    assert_german(
        page_of(form),
        german=["<h1>Ihr Konto</h1>", "Aktuelles Passwort", "Neues Passwort wiederholen"],
        english=["Your account", "Current password", "Log out everywhere"],
    )
    refused = alice.post(
        url("password_change"),
        {"old_password": "wrong", "new_password1": "abc", "new_password2": "abc"},
    )
    assert refused.status_code == 400
    with translation.override("de"):  # Django's own German, not ours
        too_short = "Dieses Passwort ist zu kurz. Es muss mindestens 8 Zeichen enthalten."
    assert_german(
        page_of(refused),
        german=["Ihr aktuelles Passwort ist nicht korrekt.", too_short],
        english=["is not correct", "This password is too short"],
    )


def test_the_password_reset_pages_in_german(world):
    visitor = in_german(Client())
    ask = visitor.get(url("password_reset"))
    assert_german(
        page_of(ask),
        german=["<h1>Passwort vergessen?</h1>", "Link senden", "Zurück zur Anmeldung"],
        english=["Forgot your password?", "Send the link"],
    )
    sent = visitor.post(url("password_reset"), {"email": "erin@example.com"}, follow=True)
    assert_german(
        page_of(sent),
        german=["Prüfen Sie Ihre E-Mails", "Wenn zu erin@example.com ein Konto gehört"],
        english=["Check your mail", "belongs to an account"],
    )
    without_address = in_german(Client()).get(url("password_reset_sent"))
    assert "Wenn zu Ihrer Adresse ein Konto gehört" in page_of(without_address)
    invalid = visitor.get(url("password_reset_confirm", "MQ", "not-a-token"))
    assert_german(
        page_of(invalid),
        german=["Link nicht mehr gültig", "Fordern Sie einen neuen an"],
        english=["no longer valid", "Ask for a new one"],
    )
    done = visitor.get(url("password_reset_complete"))
    assert "Ihr Passwort wurde geändert" in page_of(done)


def test_the_reset_form_speaks_djangos_german(world):
    erin = Customer.objects.get(email="erin@example.com")
    path = url(
        "password_reset_confirm",
        urlsafe_base64_encode(force_bytes(erin.pk)),
        default_token_generator.make_token(erin),
    )
    visitor = in_german(Client())
    form = visitor.get(path, follow=True)
    assert_german(
        page_of(form),
        german=["<h1>Neues Passwort wählen</h1>", "Neues Passwort speichern"],
        english=["Choose a new password", "Set the new password"],
    )
    mismatch = visitor.post(
        form.redirect_chain[-1][0], {"new_password1": "Sicher-2026!", "new_password2": "x"}
    )
    with translation.override("de"):
        told = str(SetPasswordForm.error_messages["password_mismatch"])
    with translation.override("en"):
        assert told != str(SetPasswordForm.error_messages["password_mismatch"])
    assert told in page_of(mismatch)


def test_the_notification_pages_in_german(world):
    Customer.objects.filter(pk=world.frank.pk).update(language="de")
    world.frank.refresh_from_db()
    notify_cart_shared(
        cart=world.trade_fair,
        actor=world.alice,
        recipient=world.frank,
        level="FULL_ACCESS",
        raised=True,
    )
    frank = in_german(world.logged_in_client(world.frank))
    bell = frank.get(url("notification_list"))
    assert_german(
        page_of(bell),
        german=[
            "<h1>Benachrichtigungen</h1>",
            "Alle als gelesen markieren",
            ">Neu</strong>",
            "Alice Archer hat Ihren Zugriff auf den Warenkorb „Trade fair“ auf Vollzugriff erhöht.",
            ">vor 0" + NBSP + "Minuten</time>",
        ],
        english=["Mark all read", "ago</time>", "raised your access"],
    )
    settings_page = frank.get(url("notification_settings"))
    assert_german(
        page_of(settings_page),
        german=[
            "<legend>Per E-Mail benachrichtigen bei</legend>",
            "Freigabe eines Warenkorbs für mich",
            "Zugriffsanfragen und Entscheidungen darüber",
            "E-Mail-Einstellungen speichern",
        ],
        english=["Send me an e-mail when", "A cart is shared with me", "Save e-mail settings"],
    )
    saved = frank.post(url("notification_settings"), {"comments": "1"}, follow=True)
    assert "Ihre E-Mail-Einstellungen sind gespeichert." in page_of(saved)


def test_the_unsubscribe_page_in_german_and_in_english(world):
    token = unsubscribe_token(world.frank.pk, EmailSetting.SHARED_WITH_ME)
    german = in_german(Client()).get(url("notifications_unsubscribe", token))
    assert_german(
        page_of(german),
        german=[
            "Diese E-Mails abbestellen?",
            "Sie erhalten dann keine E-Mail mehr, wenn ein Warenkorb mit Ihnen geteilt wird.",
            ">Abbestellen</button>",
        ],
        english=["Stop these e-mails?", "Unsubscribe</button>"],
    )
    english = Client().get(url("notifications_unsubscribe", token))
    assert "You will no longer get e-mail when a cart is shared with me." in page_of(english)
    done = in_german(Client()).post(url("notifications_unsubscribe", token))
    assert "Sie haben diese E-Mails abbestellt" in page_of(done)
    assert notification_settings_get(world.frank)["shared_with_me"] is False
