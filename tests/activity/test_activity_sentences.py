"""Every verb of the activity log reads as a sentence; odd entries degrade, never break."""
# ruff: noqa: RUF001 -- the sentences use the multiplication sign on purpose

import pytest

from cartshare.activity.models import CartActivity
from cartshare.activity.presenters import SENTENCES, activity_action, activity_present
from cartshare.activity.services import Verb, activity_record
from cartshare.carts.services import (
    cart_clear,
    cart_create,
    cart_duplicate,
    cart_item_add,
    cart_item_remove,
    cart_item_update,
    cart_update,
)
from cartshare.comments.services import comment_create
from cartshare.orders.services import cart_checkout

pytestmark = pytest.mark.django_db

ALL_VERBS = sorted(
    value for name, value in vars(Verb).items() if name.isupper() and isinstance(value, str)
)

EXAMPLES = {
    Verb.CART_CREATED: ({"name": "Trade fair"}, "created the cart “Trade fair”"),
    Verb.CART_RENAMED: (
        {"old": "Fair", "new": "Trade fair"},
        "renamed the cart from “Fair” to “Trade fair”",
    ),
    Verb.NOTE_CHANGED: ({}, "changed the note"),
    Verb.CART_DUPLICATED: ({"source": "Office"}, "created this cart as a copy of “Office”"),
    Verb.CART_CLEARED: ({"removed": 3}, "removed all items (3 products)"),
    Verb.ITEM_ADDED: ({"sku": "S-1", "product": "Stapler", "quantity": 3}, "added 3 × Stapler"),
    Verb.QUANTITY_CHANGED: (
        {"sku": "S-1", "product": "Stapler", "old": 2, "new": 5},
        "changed Stapler from 2 to 5",
    ),
    Verb.ITEM_REMOVED: (
        {"sku": "S-1", "product": "Stapler", "quantity": 2},
        "removed 2 × Stapler",
    ),
    Verb.ITEM_NOTE_CHANGED: (
        {"sku": "S-1", "product": "Stapler", "note": "Blue ones"},
        "changed the note on Stapler",
    ),
    Verb.SHARED: (
        {"grantee": "Bob Brandt", "old": None, "new": "FULL_ACCESS"},
        "shared the cart with Bob Brandt (full access)",
    ),
    Verb.SHARE_CHANGED: (
        {"grantee": "Bob Brandt", "old": "READ_ONLY", "new": "FULL_ACCESS"},
        "changed Bob Brandt's access from read-only to full access",
    ),
    Verb.UNSHARED: ({"grantee": "Bob Brandt"}, "stopped sharing the cart with Bob Brandt"),
    Verb.SHARE_DISMISSED: ({}, "removed the shared cart from their list"),
    Verb.LINK_CREATED: ({"share_option": "PREVIEW"}, "created a preview link"),
    Verb.LINK_REVOKED: ({"share_option": "FULL_ACCESS"}, "revoked the full-access link"),
    Verb.LINK_RESTORED: ({"share_option": "PREVIEW"}, "undid revoking the preview link"),
    Verb.LINK_ACCEPTED: (
        {"share_option": "READ_ONLY", "permission": "READ_ONLY", "previous": None},
        "joined the cart through a share link (read-only)",
    ),
    Verb.COMMENTED: ({"comment_id": 7}, "commented"),
    Verb.COMMENT_EDITED: ({"comment_id": 7}, "edited a comment"),
    Verb.COMMENT_DELETED: ({"comment_id": 7}, "deleted a comment"),
    Verb.ORDERED: ({"reference": "CS-2026-000042"}, "placed order CS-2026-000042"),
    Verb.ACCESS_REQUESTED: (
        {"requester": "Frank Fischer", "requester_id": 3, "permission": "FULL_ACCESS"},
        "asked for more access (full access)",
    ),
    Verb.ACCESS_REQUEST_WITHDRAWN: (
        {"requester": "Frank Fischer", "requester_id": 3, "permission": "CONTRIBUTOR"},
        "withdrew their request for more access (contributor)",
    ),
    Verb.ACCESS_REQUEST_DECLINED: (
        {"requester": "Frank Fischer", "requester_id": 3, "permission": "FULL_ACCESS"},
        "declined Frank Fischer's request for more access (full access)",
    ),
    Verb.ACCESS_REQUEST_APPROVED: (
        {"requester": "Frank Fischer", "permission": "FULL_ACCESS", "granted": "CONTRIBUTOR"},
        "approved Frank Fischer's request for more access (contributor)",
    ),
}


def test_every_verb_has_a_sentence_and_an_example():
    assert set(SENTENCES) == set(ALL_VERBS)
    assert set(EXAMPLES) == set(ALL_VERBS)


@pytest.mark.parametrize("verb", ALL_VERBS)
def test_each_verb_reads_as_a_sentence(verb):
    details, expected = EXAMPLES[verb]
    assert activity_action(verb, details) == expected


@pytest.mark.parametrize("verb", ALL_VERBS)
@pytest.mark.parametrize("details", [{}, None, {"old": None}, {"quantity": "many"}, [1, 2]])
def test_missing_or_odd_details_give_a_vaguer_sentence_not_an_error(verb, details):
    sentence = activity_action(verb, details)
    assert isinstance(sentence, str) and sentence


def test_unknown_verbs_fall_back_to_a_generic_sentence():
    assert activity_action("cart_teleported", {"x": 1}) == "changed the cart (cart teleported)"
    assert activity_action("", {}) == "changed the cart"


def test_the_services_write_entries_that_read_well(world):
    """The real services, not hand-made details: what a person sees after a working session."""
    world.trade_fair.items.all().delete()
    alice = world.alice
    cart = cart_create(owner=alice, name="Fair")
    cart_update(cart=cart, actor=alice, name="Trade fair 2")
    cart_item_add(cart=cart, actor=alice, sku="STAPLER-1", quantity=3)
    item = cart_item_add(cart=cart, actor=alice, sku="PAPER-A4", quantity=2)
    cart_item_update(cart=cart, actor=alice, item_id=item.pk, quantity=5)
    cart_item_remove(cart=cart, actor=alice, item_id=item.pk)
    cart_update(cart=cart, actor=alice, note="Booth 12")
    comment_create(cart=cart, actor=alice, text="Ready?")
    order = cart_checkout(cart=cart, actor=alice)
    copy = cart_duplicate(cart=cart, actor=alice)
    cart_clear(cart=copy, actor=alice)
    sentences = [
        activity_present(entry).sentence
        for entry in CartActivity.objects.filter(cart=cart).select_related("actor")
    ]
    assert sentences == [
        f"Alice Archer placed order {order.reference}",
        "Alice Archer commented",
        "Alice Archer changed the note",
        "Alice Archer removed 5 × Paper A4",
        "Alice Archer changed Paper A4 from 2 to 5",
        "Alice Archer added 2 × Paper A4",
        "Alice Archer added 3 × Stapler",
        "Alice Archer renamed the cart from “Fair” to “Trade fair 2”",
        "Alice Archer created the cart “Fair”",
    ]
    copy_sentences = [activity_present(entry).action for entry in copy.activities.all()]
    assert copy_sentences[0] == "removed all items (1 product)"
    assert "created this cart as a copy of “Trade fair 2”" in copy_sentences


def test_a_deleted_actor_is_a_former_user(world):
    entry = activity_record(cart=world.trade_fair, actor=world.frank, verb=Verb.COMMENTED)
    world.frank.delete()
    entry.refresh_from_db()
    assert activity_present(entry).sentence == "A former user commented"


@pytest.mark.parametrize(
    ("verb", "details", "expected"),
    [
        (Verb.SHARED, {"grantee": "Bob Brandt", "old": None, "new": "FULL_ACCESS"},
         "shared the cart with Bob Brandt (full access)"),
        (Verb.SHARE_CHANGED, {"grantee": "Bob Brandt", "old": "FULL_ACCESS", "new": "READ_ONLY"},
         "changed Bob Brandt's access from full access to read-only"),
        (Verb.UNSHARED, {"grantee": "Bob Brandt", "old": "READ_ONLY", "new": None},
         "stopped sharing the cart with Bob Brandt"),
        (Verb.SHARE_DISMISSED, {"grantee": "Bob Brandt", "old": "READ_ONLY", "new": None},
         "removed the shared cart from their list"),
        (Verb.LINK_CREATED, {"share_option": "FULL_ACCESS", "expires_at": None},
         "created a full-access link"),
        (Verb.LINK_ACCEPTED,
         {"share_option": "READ_ONLY", "permission": "FULL_ACCESS", "previous": "FULL_ACCESS"},
         "joined the cart through a share link (full access)"),
        (Verb.CART_DUPLICATED, {"source": "Trade fair", "via": "share link"},
         "created this cart as a copy of “Trade fair”"),
    ],
)  # fmt: skip
def test_details_as_the_sharing_and_link_services_write_them(verb, details, expected):
    assert activity_action(verb, details) == expected
