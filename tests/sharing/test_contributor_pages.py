"""The contributor level through the shop's pages (spec §10): greta, a colleague of alice's
unit, contributes to "Trade fair". She adds items, changes or removes the lines she added, and
comments; she cannot rename the cart, write its note, clear it, change alice's lines, check
out, share or delete it. Every allowed action is checked in the database; every refused one
answers its status and changes nothing."""

import pytest
from django.urls import reverse

from cartshare.activity.models import CartActivity
from cartshare.carts.services import cart_item_add
from cartshare.comments.models import Comment
from cartshare.orders.models import Order
from cartshare.sharing.models import CartShare, ShareLink, SharePermission
from tests.contributors import alices_line, own_line, quantities
from tests.links.helpers import join_url, text, visit
from tests.snapshots import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def greta(world, client):
    """greta with the contributor level on "Trade fair", logged in, and a line she added."""
    world.share(world.trade_fair, world.greta, SharePermission.CONTRIBUTOR)
    cart_item_add(cart=world.trade_fair, actor=world.greta, sku=world.lamp.sku, quantity=1)
    world.trade_fair.refresh_from_db()
    client.force_login(world.greta)
    return client


def url(name, *args):
    return reverse(f"storefront:{name}", args=args)


def page(world, client):
    return client.get(url("cart_detail", world.trade_fair.pk)).content.decode()


# --- allowed -----------------------------------------------------------------------------------


def test_the_cart_page_offers_changes_only_on_her_own_lines(world, greta):
    html = page(world, greta)
    assert "Shared with you by Alice Archer — your access: Contributor" in html
    assert "you can view this cart, comment, add items" in html
    mine, alices = own_line(world), alices_line(world)
    assert url("cart_item_update", world.trade_fair.pk, mine.pk) in html
    assert url("cart_item_remove", world.trade_fair.pk, mine.pk) in html
    for refused in (
        url("cart_item_update", world.trade_fair.pk, alices.pk),
        url("cart_item_remove", world.trade_fair.pk, alices.pk),
        url("cart_update", world.trade_fair.pk),
        url("cart_clear", world.trade_fair.pk),
        url("cart_delete", world.trade_fair.pk),
        url("cart_checkout", world.trade_fair.pk),
    ):
        assert refused not in html, refused
    assert "Everyone in Berlin HQ" not in html  # her share summary opens her own access only
    assert html.count('name="quantity"') == 1
    assert "added by Greta Gruber" in html and "added by Alice Archer" in html


def test_she_adds_a_product_to_the_cart(world, greta):
    response = greta.post(
        url("cart_add"), {"sku": world.pens.sku, "quantity": "4", "cart": world.trade_fair.pk}
    )
    assert response.status_code == 302
    line = world.item(world.trade_fair, world.pens)
    assert (line.quantity, line.added_by) == (4, world.greta)


def test_adding_a_product_alice_added_raises_her_line_and_is_logged_as_gretas(world, greta):
    response = greta.post(
        url("cart_add"), {"sku": world.stapler.sku, "quantity": "3", "cart": world.trade_fair.pk}
    )
    assert response.status_code == 302
    line = alices_line(world)
    assert (line.quantity, line.added_by) == (5, world.alice)  # nothing lost, still hers
    entry = CartActivity.objects.filter(cart=world.trade_fair).latest("pk")
    assert (entry.actor, entry.verb, entry.details["old"], entry.details["new"]) == (
        world.greta,
        "quantity_changed",
        2,
        5,
    )


def test_she_changes_the_quantity_of_her_own_line(world, greta):
    response = greta.post(
        url("cart_item_update", world.trade_fair.pk, own_line(world).pk),
        {"quantity": "6", "version": world.trade_fair.version},
    )
    assert response.status_code == 302
    assert quantities(world)["LAMP-1"] == 6


def test_she_removes_her_own_line(world, greta):
    response = greta.post(
        url("cart_item_remove", world.trade_fair.pk, own_line(world).pk),
        {"version": world.trade_fair.version},
    )
    assert response.status_code == 302
    assert "LAMP-1" not in quantities(world)


def test_she_comments(world, greta):
    response = greta.post(url("comment_create", world.trade_fair.pk), {"text": "Lamp added."})
    assert response.status_code == 302
    assert Comment.objects.filter(
        cart=world.trade_fair, author=world.greta, text="Lamp added."
    ).exists()


def test_she_can_make_the_cart_her_active_cart(world, greta):
    response = greta.post(url("cart_activate", world.trade_fair.pk))
    assert response.status_code == 302
    world.greta.refresh_from_db()
    assert world.greta.active_cart_id == world.trade_fair.pk


def test_the_product_page_offers_the_cart_to_fill(world, greta):
    html = greta.get(reverse("storefront:product_list")).content.decode()
    assert f'value="{world.trade_fair.pk}"' in html


# --- refused -----------------------------------------------------------------------------------


def refused(world, greta, name, data, *args, status=403):
    before = snapshot()
    response = greta.post(url(name, *args), data)
    assert response.status_code == status, response.content.decode()[:400]
    assert snapshot() == before
    return response


def test_she_cannot_change_the_quantity_of_alices_line(world, greta):
    args = (world.trade_fair.pk, alices_line(world).pk)
    response = refused(
        world,
        greta,
        "cart_item_update",
        {"quantity": "9", "version": world.trade_fair.version},
        *args,
    )
    assert "only the items you added" in response.content.decode()
    assert quantities(world)["STAPLER-1"] == 2


def test_she_cannot_remove_alices_line(world, greta):
    args = (world.trade_fair.pk, alices_line(world).pk)
    refused(world, greta, "cart_item_remove", {"version": world.trade_fair.version}, *args)
    assert "STAPLER-1" in quantities(world)


def test_she_cannot_clear_the_cart(world, greta):
    refused(world, greta, "cart_clear", {"version": world.trade_fair.version}, world.trade_fair.pk)
    assert len(quantities(world)) == 3


def test_she_cannot_rename_the_cart_or_change_its_note(world, greta):
    data = {"name": "Mine now", "note": "Changed", "version": world.trade_fair.version}
    refused(world, greta, "cart_update", data, world.trade_fair.pk)
    world.trade_fair.refresh_from_db()
    assert (world.trade_fair.name, world.trade_fair.note) == ("Trade fair", "Bring the banner")


def test_she_cannot_delete_the_cart(world, greta):
    refused(world, greta, "cart_delete", {}, world.trade_fair.pk)


def test_she_cannot_check_out(world, greta):
    data = {"version": world.trade_fair.version}
    refused(world, greta, "cart_checkout_place", data, world.trade_fair.pk)
    assert not Order.objects.exists()


def test_she_cannot_share_the_cart(world, greta):
    data = {f"permission-{world.company_user('read_only').pk}": "FULL_ACCESS"}
    refused(world, greta, "cart_share", data, world.trade_fair.pk)
    assert CartShare.objects.get(
        cart=world.trade_fair, company_user__customer=world.frank
    ).permission == ("READ_ONLY")


def test_she_cannot_make_share_links(world, greta):
    refused(
        world,
        greta,
        "cart_links",
        {"share_option": "PREVIEW", "expires": "never"},
        world.trade_fair.pk,
    )
    assert not ShareLink.objects.exists()


def test_a_read_only_colleague_still_cannot_add(world, client):
    client.force_login(world.frank)
    client.post(
        url("cart_add"), {"sku": world.lamp.sku, "quantity": "1", "cart": world.trade_fair.pk}
    )
    assert "LAMP-1" not in quantities(world)


# --- granting the level -------------------------------------------------------------------------


def test_the_owner_makes_a_colleague_a_contributor_on_the_share_page(world, client):
    client.force_login(world.alice)
    field = f"permission-{world.company_user('colleague').pk}"
    html = client.get(url("cart_share", world.trade_fair.pk)).content.decode()
    assert '<select id="share-add-level" name="permission">' in html
    assert '<option value="CONTRIBUTOR">Contributor</option>' in html
    response = client.post(url("cart_share", world.trade_fair.pk), {field: "CONTRIBUTOR"})
    assert response.status_code == 302
    grant = CartShare.objects.get(cart=world.trade_fair, company_user__customer=world.greta)
    assert grant.permission == SharePermission.CONTRIBUTOR


def test_the_owner_makes_a_contributor_link_and_a_colleague_joins_through_it(world, client):
    client.force_login(world.alice)
    response = client.post(
        url("cart_links", world.trade_fair.pk), {"share_option": "CONTRIBUTOR", "expires": "never"}
    )
    assert response.status_code == 302
    token = world.share_link(world.trade_fair, "CONTRIBUTOR").token  # the same, current link
    assert ShareLink.objects.filter(cart=world.trade_fair).count() == 1
    client.force_login(world.greta)
    assert "As a contributor you can view the cart" in text(visit(client, token))
    response = client.post(join_url(token))
    assert response.status_code == 302
    grant = CartShare.objects.get(cart=world.trade_fair, company_user__customer=world.greta)
    assert grant.permission == SharePermission.CONTRIBUTOR
    world.greta.refresh_from_db()
    assert world.greta.active_cart_id == world.trade_fair.pk  # a contributor can fill it
