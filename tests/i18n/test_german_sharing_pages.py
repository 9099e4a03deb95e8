"""The cart, sharing, link and discussion pages in German (issue 17, part 2): a browser that asks
for German (`Accept-Language: de`) reads them in German, with German money and dates, and the
words of docs/decisions/i18n-glossary.md; without the header they stay English."""

from __future__ import annotations

import re
from html import unescape

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

from cartshare.sharing.access_requests import access_request_create, access_request_decide
from cartshare.sharing.link_services import share_link_revoke
from tests.i18n.sharing_pages import client_for, tour
from tests.links.helpers import join_url, open_url

pytestmark = pytest.mark.django_db

CATALOG = settings.BASE_DIR / "cartshare/storefront/locale/de/LC_MESSAGES/django.po"


def main_text(response) -> str:
    """What the page's <main> says: its text and the labels a screen reader reads out."""
    html = response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]
    html = re.sub(r"<script\b.*?</script>", " ", html, flags=re.S)
    labels = re.findall(r'(?:aria-label|placeholder|title|data-label)="([^"]*)"', html)
    text = re.sub(r"<[^>]+>", " ", html)
    return unescape(" ".join([re.sub(r"[ \t\r\n]+", " ", text), *labels]))


def german(world, person):
    return client_for(world, person, "de")


def cart_url(cart) -> str:
    return f"/carts/{cart.pk}/"


# --- The cart pages --------------------------------------------------------------------------


def test_the_cart_page_speaks_german_with_german_money_and_dates(world):
    response = german(world, world.alice).get(cart_url(world.trade_fair))

    assert response.status_code == 200
    assert '<html lang="de">' in response.content.decode()
    page = main_text(response)
    for words in [
        "Meine Warenkörbe",
        "Aktiver Warenkorb",
        "Aktualisiert am",
        "Art.-Nr. STAPLER-1",
        "Stückpreis",
        "Zwischensumme",
        "74,90\N{NO-BREAK SPACE}€",
        "Preise inkl. MwSt.",
        "Warenkorb leeren",
        "Alle 2 Positionen aus „Trade fair“ entfernen?",
        "„Trade fair“ mit 2 Positionen löschen? Das lässt sich nicht rückgängig machen.",
        "Name und Notiz speichern",
        "Mit 2 Personen geteilt · kein Link",
        "Kommentar veröffentlichen",
    ]:
        assert words in page, words
    for english in ["Clear cart", "Subtotal", "Prices include VAT", "Shared with 2 people"]:
        assert english not in page, english


def test_the_cart_page_stays_english_without_accept_language(world):
    page = main_text(world.logged_in_client(world.alice).get(cart_url(world.trade_fair)))

    assert "Clear cart" in page and "Subtotal" in page and "€74.90" in page
    assert "Warenkorb" not in page


def test_a_read_only_colleague_reads_the_banner_and_the_request_form_in_german(world):
    page = main_text(german(world, world.frank).get(cart_url(world.trade_fair)))

    assert "Von Alice Archer mit Ihnen geteilt \N{EN DASH} Ihr Zugriff:" in page
    assert "Warenkorb von Alice Archer · für Sie: Zugriff „Nur lesen“" in page
    assert "Möchten Sie diesen Warenkorb ändern?" in page
    assert "Bearbeitungszugriff anfragen" in page


def test_my_carts_counts_people_links_and_units_in_german(world):
    world.share_link(world.trade_fair, "PREVIEW")
    page = main_text(german(world, world.alice).get("/carts/"))

    assert "Mit 2 Personen geteilt · 1 Link" in page
    assert "(12 Stück)" in page
    assert "2 Personen verlieren den Zugriff. Sein 1 Link funktioniert dann nicht mehr." in page
    assert "Warenkorb anlegen" in page and "Zu meinem aktiven Warenkorb machen" in page


def test_an_ordered_cart_says_so_in_german(world):
    ordered = world.cart(world.alice, "Ordered one", items={world.lamp: 1}, ordered=True)
    page = main_text(german(world, world.alice).get(cart_url(ordered)))

    assert "Dieser Warenkorb wurde bestellt. Er bleibt hier schreibgeschützt erhalten" in page


# --- The share page and the dismiss page -----------------------------------------------------


def test_the_share_page_speaks_german(world):
    world.share_link(world.trade_fair, "READ_ONLY")
    page = main_text(german(world, world.alice).get(f"{cart_url(world.trade_fair)}share/"))

    for words in [
        "„Trade fair“ teilen",
        "Personen mit Zugriff",
        "Zugriff für Bob Brandt",
        "Personen aus Berlin HQ hinzufügen",
        "Was jede Zugriffsstufe erlaubt",
        "Vorschau-Link erstellen",
        "Alle in Berlin HQ mit dem Link: Zugriff „Nur lesen“",
        "Link „Nur lesen“ zum Kopieren",
        "Läuft nie ab",
        "0-mal geöffnet",
        "Bestätigen: Link „Nur lesen“ widerrufen",
        "Per E-Mail senden",
        "Verlauf der Links (1)",
    ]:
        assert words in page, words


def test_a_grantee_s_share_page_and_dismiss_page_speak_german(world):
    frank = german(world, world.frank)
    share = main_text(frank.get(f"{cart_url(world.trade_fair)}share/"))
    dismiss = main_text(frank.get(f"{cart_url(world.trade_fair)}dismiss/"))

    assert "Alice Archer hat diesen Warenkorb mit Ihnen geteilt:" in share
    assert "Nur Alice Archer kann ihn mit weiteren Personen teilen" in share
    assert "„Trade fair“ aus Ihren Warenkörben entfernen?" in dismiss
    assert "(Zugriff „Nur lesen“)" in dismiss
    assert "Warenkorb entfernen" in dismiss and "Behalten" in dismiss


# --- Links: preview, accept, refusals, request access ----------------------------------------


def test_the_preview_speaks_german_to_an_anonymous_visitor(world):
    token = world.link(world.trade_fair, "PREVIEW")
    response = german(world, None).get(open_url(token))

    page = main_text(response)
    assert "Geteilter Warenkorb · Vorschau" in page
    assert "Geteilt von Alice Archer · 2 Positionen, 12 Stück · Preise in EUR, inkl. MwSt." in page
    assert "Gesamt (12 Stück)" in page
    assert "Anmelden, um in meinen Warenkorb zu kopieren" in page
    html = response.content.decode()
    assert '<meta property="og:title" content="Geteilter Warenkorb: Trade fair">' in html


def test_the_accept_page_speaks_german(world):
    token = world.link(world.trade_fair, "READ_ONLY")
    greta = german(world, world.greta)
    greta.get(open_url(token))
    page = main_text(greta.get(join_url(token)))

    assert "Ein Warenkorb wurde mit Ihnen geteilt" in page
    assert "2 Positionen · 74,90\N{NO-BREAK SPACE}€" in page
    assert "Warenkorb öffnen" in page and "Jetzt nicht" in page


def test_the_refusal_pages_of_links_speak_german(world):
    anonymous = german(world, None)
    unknown = anonymous.get(open_url("x" * 43))
    link = world.share_link(world.trade_fair, "READ_ONLY")
    carol = german(world, world.carol)
    carol.get(open_url(link.token))
    other_unit = carol.get(join_url(link.token))
    greta = german(world, world.greta)
    greta.get(open_url(link.token))
    share_link_revoke(link=link.link, actor=world.alice)
    revoked = greta.get(join_url(link.token))

    assert unknown.status_code == 404
    assert "Diesen Link gibt es nicht" in main_text(unknown)
    assert "Prüfen Sie, ob Sie den ganzen Link kopiert haben" in main_text(unknown)
    assert other_unit.status_code == 403
    assert "Mit einem anderen Konto anmelden" in main_text(other_unit)
    assert revoked.status_code == 410
    page = main_text(revoked)
    assert "Dieser Link funktioniert nicht mehr" in page and "Was Sie tun können" in page
    assert "Oder bitten Sie Alice Archer um Zugriff auf den Warenkorb selbst" in page
    request_access = main_text(greta.get(f"{join_url(link.token)}/request-access"))
    assert "Alice Archer um Zugriff auf „Trade fair“ bitten" in request_access
    assert "Nachricht an Alice Archer (optional)" in request_access


# --- Access requests -------------------------------------------------------------------------


def test_access_requests_speak_german_to_the_owner_and_the_requester(world):
    asked = access_request_create(
        cart=world.trade_fair, actor=world.frank, permission="FULL_ACCESS"
    )
    owner = main_text(german(world, world.alice).get(cart_url(world.trade_fair)))
    waiting = main_text(
        german(world, world.frank).get(f"{cart_url(world.trade_fair)}my-access-request/")
    )
    access_request_decide(access_request=asked, actor=world.alice, status="DECLINED")
    declined = main_text(
        german(world, world.frank).get(f"{cart_url(world.trade_fair)}my-access-request/")
    )

    assert "Zugriffsanfragen" in owner and "Genehmigen" in owner and "Ablehnen" in owner
    assert "Frank Fischer geben:" in owner
    assert "Ihre Anfrage wartet auf eine Antwort" in waiting
    assert "Meine Anfrage zurückziehen" in waiting
    assert "Ihre Anfrage wurde abgelehnt" in declined
    assert "Was Sie tun können" in declined


# --- Discussion ------------------------------------------------------------------------------


def test_the_discussion_and_the_comment_editor_speak_german(world):
    bob = german(world, world.bob)
    bob.post(f"{cart_url(world.trade_fair)}comments/", {"text": "Mehr Papier?"})
    comment = world.trade_fair.comments.get()
    discussion = main_text(bob.get(f"{cart_url(world.trade_fair)}discussion/"))
    editor = main_text(bob.get(f"{cart_url(world.trade_fair)}comments/{comment.pk}/edit/"))

    assert "Diskussion: Trade fair" in discussion
    assert "Reiner Text, bis zu 5.000 Zeichen." in discussion
    assert "Bearbeiten" in discussion and "Verlauf" in discussion
    assert "Kommentar bearbeiten" in editor and "Abbrechen" in editor


# --- Messages --------------------------------------------------------------------------------


def message_of(response) -> str:
    found = re.findall(r'class="message message-\w+">([^<]*)<', response.content.decode())
    return " | ".join(unescape(text) for text in found)


def test_what_the_forms_say_afterwards_is_german(world):
    alice = german(world, world.alice)
    cart = cart_url(world.trade_fair)
    added = alice.post("/cart/add/", {"sku": world.lamp.sku, "quantity": "1200"}, follow=True)
    link = alice.post(f"{cart}links/", {"share_option": "PREVIEW"}, follow=True)
    cleared = alice.post(f"{cart}clear/", {}, follow=True)

    assert message_of(added) == (
        "1.200 \N{MULTIPLICATION SIGN} Desk lamp zu „Trade fair“ hinzugefügt "
        "(jetzt 1.200 im Warenkorb)."
    )
    assert message_of(link) == "Ihr Vorschau-Link ist bereit zum Kopieren."
    assert message_of(cleared) == "„Trade fair“ ist jetzt leer."


# --- The scripts' words ----------------------------------------------------------------------


def words_for_scripts(response) -> dict[str, str]:
    """What live.js and share.js will show, from the markup they act on: the live status
    element's data-live-text-*, the copy buttons' and the Share link's data-*-text."""
    html = response.content.decode()
    found = re.findall(r'data-((?:live-text-[\w-]+)|[\w-]+-text)="([^"]*)"', html)
    return {name: unescape(value) for name, value in found}


def test_the_words_of_live_js_and_share_js_arrive_in_german(world):
    token = world.link(world.trade_fair, "PREVIEW")
    alice = german(world, world.alice)
    cart_page = words_for_scripts(alice.get(cart_url(world.trade_fair)))
    share_page = words_for_scripts(alice.get(f"{cart_url(world.trade_fair)}share/"))
    preview = words_for_scripts(german(world, None).get(open_url(token)))
    frank = words_for_scripts(german(world, world.frank).get(cart_url(world.trade_fair)))

    for words in (cart_page, share_page, preview):
        assert words["live-text-updated"] == "Gerade aktualisiert."
        assert words["live-text-updated-by"] == (
            "Gerade aktualisiert: %(name)s hat diesen Warenkorb geändert."
        )
        assert words["live-text-show-changes"] == "Änderungen anzeigen"
        assert (
            words["live-text-also-looking"]
            == "Sehen sich diesen Warenkorb gerade auch an: %(names)s"
        )
    assert cart_page["share-close-text"] == "Schließen"
    assert share_page["copied-text"] == "Link kopiert."
    assert share_page["copy-by-hand-text"].startswith("Drücken Sie Strg+C")
    assert preview["live-ended-text"].startswith("Dieser Link funktioniert nicht mehr")
    assert "live-text-access-changed" not in preview  # a preview visitor has no access to change
    assert frank["live-text-access-changed"] == (
        "Ihr Zugriff auf diesen Warenkorb hat sich geändert: Sie haben jetzt Zugriff „Nur lesen“."
    )
    english = world.logged_in_client(world.frank).get(cart_url(world.trade_fair))
    assert words_for_scripts(english)["live-text-access-changed"] == (
        "Your access to this cart changed: you now have read-only."
    )
    assert set(words_for_scripts(english)) == set(frank)


# --- Nothing of ours left in English ---------------------------------------------------------


def text_pieces(response) -> list[str]:
    """Each piece of text of the page's <main> on its own (a sentence of ours is a whole piece;
    one inside a longer piece is someone else's sentence, such as a refusal's detail), and the
    attributes a screen reader or a script shows."""
    html = response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]
    html = re.sub(r"<script\b.*?</script>", " ", html, flags=re.S)
    attributes = re.findall(
        r'(?:aria-label|placeholder|title|data-label|data-[\w-]*text[\w-]*)="([^"]*)"', html
    )
    pieces = re.split(r"<[^>]+>", html)
    return [unescape(re.sub(r"[ \t\r\n]+", " ", piece)).strip() for piece in [*pieces, *attributes]]


def plain_english_msgids() -> list[str]:
    """The catalog's own sentences that the German page must not show: those without
    placeholders or markup, whose German differs, long enough not to be a word German shares
    ("Status", "Link"), and capitalised (not "preview link", which the activity log's English
    sentences, not this catalog's, may hold)."""
    with CATALOG.open("rb") as po_file:
        catalog = read_po(po_file)
    return [
        message.id
        for message in catalog
        if isinstance(message.id, str)
        and message.id
        and not re.search(r"[%<]", message.id)
        and message.string != message.id
        and len(message.id) >= 12
        and message.id[0].isupper()
    ]


def test_no_sentence_of_the_storefront_catalog_is_left_in_english_on_these_pages(world):
    sentences = plain_english_msgids()
    assert len(sentences) > 100  # the catalog is the one these pages use

    for name, response in tour(world, "de").items():
        shown = set(text_pieces(response))
        left = [sentence for sentence in sentences if sentence in shown]
        assert left == [], name
