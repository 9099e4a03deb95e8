"""No lost input (issue 13): a cart-page edit of one line made on a stale page is applied when
that line did not change since the page was loaded; a true conflict (the same line changed or
removed meanwhile) is refused, says who changed it to what, and keeps the typed value in its
field; the policy still decides who may change which line, stale or not."""

import re

import pytest
from django.urls import reverse

from cartshare.carts import services
from cartshare.sharing.models import SharePermission
from tests.carts.helpers import messages_of, snapshot

pytestmark = pytest.mark.django_db


def update_url(cart, item):
    return reverse("storefront:cart_item_update", args=[cart.pk, item.pk])


def remove_url(cart, item):
    return reverse("storefront:cart_item_remove", args=[cart.pk, item.pk])


def quantities(cart):
    return dict(cart.items.values_list("product__sku", "quantity"))


def field(html: str, field_id: str) -> str:
    """The whole <input> tag with this id."""
    found = re.search(rf'<input id="{field_id}"[^>]*>', html)
    assert found, f"no field {field_id}"
    return found.group(0)


@pytest.fixture
def lines(world):
    cart = world.trade_fair
    return cart, world.item(cart, world.stapler), world.item(cart, world.paper)


# --- merged -------------------------------------------------------------------------------
@pytest.mark.parametrize(("editor", "other"), [("alice", "bob"), ("bob", "alice")])
def test_a_stale_quantity_edit_of_a_line_nobody_changed_is_applied(world, lines, editor, other):
    cart, stapler, paper = lines
    loaded = cart.version
    services.cart_item_update(cart=cart, actor=world.user(other), item_id=paper.pk, quantity=20)
    response = world.logged_in_client(world.user(editor)).post(
        update_url(cart, stapler), {"quantity": "7", "version": loaded}
    )
    assert response.status_code == 302
    assert messages_of(response) == ["Stapler: quantity is now 7."]
    assert quantities(cart) == {"STAPLER-1": 7, "PAPER-A4": 20}  # both changes kept


def test_a_stale_removal_of_a_line_nobody_changed_is_applied(world, lines):
    cart, stapler, paper = lines
    loaded = cart.version
    services.cart_item_update(cart=cart, actor=world.bob, item_id=paper.pk, quantity=20)
    response = world.logged_in_client(world.alice).post(
        remove_url(cart, stapler), {"version": loaded}
    )
    assert response.status_code == 302
    assert quantities(cart) == {"PAPER-A4": 20}


def test_a_stale_note_edit_of_a_line_nobody_changed_is_applied(world, lines):
    cart, stapler, paper = lines
    loaded = cart.version
    services.cart_item_update(cart=cart, actor=world.bob, item_id=paper.pk, note="Recycled")
    response = world.logged_in_client(world.alice).post(
        update_url(cart, stapler), {"note": "Blue ones", "version": loaded}
    )
    assert response.status_code == 302
    stapler.refresh_from_db()
    paper.refresh_from_db()
    assert (stapler.note, paper.note) == ("Blue ones", "Recycled")


def test_a_note_change_does_not_conflict_with_a_quantity_edit_of_the_same_line(world, lines):
    cart, stapler, _ = lines
    loaded = cart.version
    services.cart_item_update(cart=cart, actor=world.bob, item_id=stapler.pk, note="Blue ones")
    response = world.logged_in_client(world.alice).post(
        update_url(cart, stapler), {"quantity": "4", "version": loaded}
    )
    assert response.status_code == 302
    stapler.refresh_from_db()
    assert (stapler.quantity, stapler.note) == (4, "Blue ones")


# --- true conflicts -----------------------------------------------------------------------
def test_a_stale_quantity_edit_of_a_line_changed_meanwhile_names_who_and_keeps_the_input(
    world, lines
):
    cart, stapler, _ = lines
    loaded = cart.version
    services.cart_item_update(cart=cart, actor=world.bob, item_id=stapler.pk, quantity=5)
    before = snapshot(cart)
    client = world.logged_in_client(world.alice)
    response = client.post(update_url(cart, stapler), {"quantity": "9", "version": loaded})
    assert response.status_code == 409
    assert snapshot(cart) == before  # nothing changed
    html = response.content.decode()
    assert "Bob Brandt changed the quantity of Stapler to 5." in html
    assert "what you typed is still in the field" in html
    typed = field(html, f"qty-{stapler.pk}")
    assert 'value="9"' in typed and "data-kept-input" in typed
    assert f'aria-describedby="conflict-{stapler.pk}"' in typed
    assert 'value="10"' in field(html, f"qty-{world.item(cart, world.paper).pk}")
    # The form now carries the current version: sending it again applies the typed value.
    form = html[: html.index(f'id="qty-{stapler.pk}"')].rsplit("<form", 1)[1]
    assert f'name="version" value="{before[2]}"' in form
    again = client.post(update_url(cart, stapler), {"quantity": "9", "version": before[2]})
    assert again.status_code == 302
    assert quantities(cart)["STAPLER-1"] == 9


def test_a_stale_note_edit_of_a_note_changed_meanwhile_keeps_the_typed_note(world, lines):
    cart, stapler, _ = lines
    loaded = cart.version
    services.cart_item_update(cart=cart, actor=world.bob, item_id=stapler.pk, note="Red")
    response = world.logged_in_client(world.alice).post(
        update_url(cart, stapler), {"note": "Blue", "version": loaded}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Bob Brandt changed the note on Stapler to “Red”." in html
    assert 'value="Blue"' in field(html, f"note-{stapler.pk}")
    stapler.refresh_from_db()
    assert stapler.note == "Red"


def test_an_add_to_the_line_meanwhile_is_a_conflict_too(world, lines):
    cart, stapler, _ = lines
    loaded = cart.version
    services.cart_item_add(cart=cart, actor=world.bob, sku=world.stapler.sku, quantity=3)
    response = world.logged_in_client(world.alice).post(
        update_url(cart, stapler), {"quantity": "1", "version": loaded}
    )
    assert response.status_code == 409
    assert "Bob Brandt changed the quantity of Stapler to 5." in response.content.decode()
    assert quantities(cart)["STAPLER-1"] == 5  # Bob's add is not lost


def test_a_stale_removal_of_a_line_changed_meanwhile_is_refused(world, lines):
    cart, stapler, _ = lines
    loaded = cart.version
    services.cart_item_update(cart=cart, actor=world.bob, item_id=stapler.pk, quantity=50)
    response = world.logged_in_client(world.alice).post(
        remove_url(cart, stapler), {"version": loaded}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Bob Brandt changed the quantity of Stapler to 50." in html
    assert "Nothing was removed: remove it again if you still want to." in html
    assert quantities(cart)["STAPLER-1"] == 50


def test_a_stale_edit_of_a_line_removed_meanwhile_says_who_removed_it(world, lines):
    cart, stapler, _ = lines
    loaded = cart.version
    services.cart_item_remove(cart=cart, actor=world.bob, item_id=stapler.pk)
    before = snapshot(cart)
    response = world.logged_in_client(world.alice).post(
        update_url(cart, stapler), {"quantity": "9", "version": loaded}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Bob Brandt removed Stapler from the cart." in html
    assert "You asked for 9." in html
    assert snapshot(cart) == before


def test_a_stale_edit_after_the_cart_was_emptied_is_refused(world, lines):
    cart, stapler, _ = lines
    loaded = cart.version
    services.cart_clear(cart=cart, actor=world.bob)
    response = world.logged_in_client(world.alice).post(
        update_url(cart, stapler), {"quantity": "9", "version": loaded}
    )
    assert response.status_code == 409
    assert "Bob Brandt removed all items from the cart" in response.content.decode()
    assert quantities(cart) == {}


def test_an_edit_of_a_line_that_never_was_in_the_cart_is_still_404(world, lines):
    cart, _, paper = lines
    loaded = cart.version
    services.cart_item_update(cart=cart, actor=world.bob, item_id=paper.pk, quantity=20)
    response = world.logged_in_client(world.alice).post(
        reverse("storefront:cart_item_update", args=[cart.pk, 987654]),
        {"quantity": "9", "version": loaded},
    )
    assert response.status_code == 404


# --- every kind of caller: the policy decides first ------------------------------------------
def test_a_contributor_s_stale_edit_of_their_own_line_merges(world, lines):
    cart, _, paper = lines
    world.share(cart, world.greta, SharePermission.CONTRIBUTOR)
    lamp = services.cart_item_add(cart=cart, actor=world.greta, sku=world.lamp.sku, quantity=1)
    loaded = cart.version
    services.cart_item_update(cart=cart, actor=world.alice, item_id=paper.pk, quantity=20)
    response = world.logged_in_client(world.greta).post(
        update_url(cart, lamp), {"quantity": "3", "version": loaded}
    )
    assert response.status_code == 302
    assert quantities(cart) == {"STAPLER-1": 2, "PAPER-A4": 20, "LAMP-1": 3}


def test_a_contributor_s_stale_edit_of_someone_else_s_line_is_forbidden_not_merged(world, lines):
    cart, stapler, paper = lines
    world.share(cart, world.greta, SharePermission.CONTRIBUTOR)
    loaded = cart.version
    services.cart_item_update(cart=cart, actor=world.alice, item_id=paper.pk, quantity=20)
    before = snapshot(cart)
    for url in (update_url(cart, stapler), remove_url(cart, stapler)):
        response = world.logged_in_client(world.greta).post(
            url, {"quantity": "3", "version": loaded}
        )
        assert response.status_code == 403
    assert snapshot(cart) == before


@pytest.mark.parametrize(
    ("role", "status"), [("read_only", 403), ("other_unit", 404), ("b2c", 404)]
)
def test_callers_who_may_not_change_lines_are_refused_stale_or_not(world, lines, role, status):
    cart, stapler, paper = lines
    loaded = cart.version
    services.cart_item_update(cart=cart, actor=world.bob, item_id=paper.pk, quantity=20)
    before = snapshot(cart)
    response = world.logged_in_client(world.caller(role)).post(
        update_url(cart, stapler), {"quantity": "3", "version": loaded}
    )
    assert response.status_code == status
    assert snapshot(cart) == before


def test_an_anonymous_visitor_is_sent_to_log_in(world, lines):
    cart, stapler, _ = lines
    before = snapshot(cart)
    response = world.logged_in_client(None).post(
        update_url(cart, stapler), {"quantity": "3", "version": 1}
    )
    assert response.status_code == 302 and "/login" in response["Location"]
    assert snapshot(cart) == before
