"""The activity log keeps verbs and facts, never sentences: each viewer reads the same rows in
their own language, on the pages and in the API (issue 17, part 2)."""
# ruff: noqa: RUF001 -- the sentences use the multiplication sign on purpose

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from cartshare.activity.models import CartActivity
from cartshare.activity.presenters import SENTENCES, activity_action, activity_present
from cartshare.activity.services import Verb, activity_record
from cartshare.carts.services import cart_item_add, cart_item_update, cart_update
from tests.activity.test_activity_sentences import ALL_VERBS, EXAMPLES
from tests.api.client import client_for

pytestmark = pytest.mark.django_db

GERMAN_EXAMPLES = {
    Verb.CART_CREATED: "hat den Warenkorb „Trade fair“ angelegt",
    Verb.CART_RENAMED: "hat den Warenkorb von „Fair“ in „Trade fair“ umbenannt",
    Verb.NOTE_CHANGED: "hat die Notiz geändert",
    Verb.CART_DUPLICATED: "hat diesen Warenkorb als Kopie von „Office“ angelegt",
    Verb.CART_CLEARED: "hat alle Positionen entfernt (3 Produkte)",
    Verb.ITEM_ADDED: "hat 3 × Stapler hinzugefügt",
    Verb.QUANTITY_CHANGED: "hat Stapler von 2 auf 5 geändert",
    Verb.ITEM_REMOVED: "hat 2 × Stapler entfernt",
    Verb.ITEM_NOTE_CHANGED: "hat die Notiz zu Stapler geändert",
    Verb.SHARED: "hat den Warenkorb mit Bob Brandt geteilt (Vollzugriff)",
    Verb.SHARE_CHANGED: (
        "hat den Zugriff für Bob Brandt geändert: von Zugriff „Nur lesen“ auf Vollzugriff"
    ),
    Verb.UNSHARED: "teilt den Warenkorb nicht mehr mit Bob Brandt",
    Verb.SHARE_DISMISSED: "hat den geteilten Warenkorb aus den eigenen Warenkörben entfernt",
    Verb.LINK_CREATED: "hat einen Vorschau-Link erstellt",
    Verb.LINK_REVOKED: "hat den Link „Vollzugriff“ widerrufen",
    Verb.LINK_RESTORED: "hat das Widerrufen des Vorschau-Links rückgängig gemacht",
    Verb.LINK_ACCEPTED: "ist dem Warenkorb über einen Link beigetreten (Zugriff „Nur lesen“)",
    Verb.COMMENTED: "hat kommentiert",
    Verb.COMMENT_EDITED: "hat einen Kommentar bearbeitet",
    Verb.COMMENT_DELETED: "hat einen Kommentar gelöscht",
    Verb.ORDERED: "hat die Bestellung CS-2026-000042 aufgegeben",
    Verb.ACCESS_REQUESTED: "hat mehr Zugriff angefragt (Vollzugriff)",
    Verb.ACCESS_REQUEST_WITHDRAWN: (
        "hat die Anfrage nach mehr Zugriff zurückgezogen (Zugriff „Mitwirkende“)"
    ),
    Verb.ACCESS_REQUEST_DECLINED: (
        "hat die Anfrage von Frank Fischer nach mehr Zugriff abgelehnt (Vollzugriff)"
    ),
    Verb.ACCESS_REQUEST_APPROVED: (
        "hat die Anfrage von Frank Fischer nach mehr Zugriff genehmigt (Zugriff „Mitwirkende“)"
    ),
}


@pytest.mark.parametrize("verb", ALL_VERBS)
def test_each_verb_reads_as_a_german_sentence(verb):
    details, english = EXAMPLES[verb]
    with translation.override("de"):
        assert activity_action(verb, details) == GERMAN_EXAMPLES[verb]
    assert activity_action(verb, details) == english


def test_every_verb_has_a_german_example():
    assert set(GERMAN_EXAMPLES) == set(SENTENCES)


@pytest.mark.parametrize("verb", ALL_VERBS)
@pytest.mark.parametrize("details", [{}, None, {"old": None}, {"quantity": "many"}])
def test_odd_details_still_give_a_german_sentence(verb, details):
    with translation.override("de"):
        sentence = activity_action(verb, details)
    assert sentence and sentence.startswith(("hat ", "ist ", "teilt "))


def test_large_numbers_are_grouped_as_the_language_writes_them():
    details = {"product": "Paper A4", "old": 1200, "new": 2500}
    assert activity_action(Verb.QUANTITY_CHANGED, details) == "changed Paper A4 from 1,200 to 2,500"
    with translation.override("de"):
        assert activity_action(Verb.QUANTITY_CHANGED, details) == (
            "hat Paper A4 von 1.200 auf 2.500 geändert"
        )


def test_the_log_stores_facts_not_sentences(world):
    entry = activity_record(
        cart=world.trade_fair, actor=world.alice, verb=Verb.QUANTITY_CHANGED,
        sku="S-1", product="Stapler", old=2, new=5,
    )  # fmt: skip
    entry.refresh_from_db()
    assert entry.details == {"sku": "S-1", "product": "Stapler", "old": 2, "new": 5}
    with translation.override("de"):
        assert activity_present(entry).sentence == "Alice Archer hat Stapler von 2 auf 5 geändert"
    assert activity_present(entry).sentence == "Alice Archer changed Stapler from 2 to 5"


def test_a_former_user_in_german(world):
    entry = activity_record(cart=world.trade_fair, actor=world.frank, verb=Verb.COMMENTED)
    world.frank.delete()
    entry.refresh_from_db()
    with translation.override("de"):
        assert activity_present(entry).sentence == "Ein ehemaliger Nutzer hat kommentiert"


def _a_working_session(world) -> None:
    cart = world.trade_fair
    cart_update(cart=cart, actor=world.alice, name="Trade fair 2")
    cart_item_add(cart=cart, actor=world.alice, sku=world.pens.sku, quantity=3)
    item = cart.items.get(product=world.stapler)
    cart_item_update(cart=cart, actor=world.bob, item_id=item.pk, quantity=5)


def test_the_api_gives_the_same_rows_in_each_callers_language(world):
    _a_working_session(world)
    path = f"/carts/{world.trade_fair.pk}/activity"
    english = client_for(world.alice).get(path).json()["results"]
    german = client_for(world.bob).get(path, headers={"Accept-Language": "de"}).json()["results"]
    assert [row["id"] for row in german] == [row["id"] for row in english]
    assert [row["verb"] for row in german] == [row["verb"] for row in english]
    assert [row["details"] for row in german] == [row["details"] for row in english]
    assert english[0]["text"] == "Bob Brandt changed Stapler from 2 to 5"
    assert german[0]["text"] == "Bob Brandt hat Stapler von 2 auf 5 geändert"
    assert english[1]["text"] == f"Alice Archer added 3 × {world.pens.name}"
    assert german[1]["text"] == f"Alice Archer hat 3 × {world.pens.name} hinzugefügt"
    assert german[2]["text"] == (
        "Alice Archer hat den Warenkorb von „Trade fair“ in „Trade fair 2“ umbenannt"
    )


def test_the_discussion_page_shows_the_log_in_each_viewers_language(world):
    _a_working_session(world)
    url = reverse("storefront:cart_discussion", args=[world.trade_fair.pk])
    rows = CartActivity.objects.filter(cart=world.trade_fair).count()
    german = world.logged_in_client(world.bob).get(url, headers={"Accept-Language": "de"})
    english = world.logged_in_client(world.alice).get(url)
    assert german.status_code == english.status_code == 200
    assert "<strong>Bob Brandt</strong> hat Stapler von 2 auf 5 geändert" in german.text
    assert "changed Stapler from 2 to 5" not in german.text
    assert "<strong>Bob Brandt</strong> changed Stapler from 2 to 5" in english.text
    assert "hat Stapler von 2 auf 5 geändert" not in english.text
    assert CartActivity.objects.filter(cart=world.trade_fair).count() == rows
