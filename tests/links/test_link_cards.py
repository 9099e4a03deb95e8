"""Link unfurling (issue 14 part 6): the preview carries Open Graph and Twitter tags that say it
is a shared cart and an `og:image`, the link's card (`/share/<token>/card.png`): the cart's
name, item count and total, nothing personal. The card obeys the link's rules (404, 410), is
briefly cacheable, never fails on an odd cart name, and an internal link has none."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image, ImageDraw

from cartshare.carts.models import MAX_NAME_LENGTH, Cart, CartStatus
from cartshare.common.logmask import mask_tokens
from cartshare.common.text import renderable_text
from cartshare.sharing.link_services import share_link_revoke
from cartshare.sharing.models import ShareLink, ShareLinkStats
from cartshare.storefront.cards import TEXT_WIDTH, card_font
from tests.factories import CartFactory, CartItemFactory, ProductFactory
from tests.links.helpers import INTERNAL, data_snapshot, join_url, main_text, open_url, text

pytestmark = pytest.mark.django_db

PERSONAL = ("Alice Archer", "alice@acme.example", "Secret note", "Ballpoint pen", "Standing desk")


def card_url(token: str) -> str:
    return open_url(token) + "/card.png"


def head(response) -> str:
    return text(response).split("</head>", 1)[0]


def drawn(monkeypatch) -> list[str]:
    """The texts the card draws, as it draws them (a PNG holds no text to read back)."""
    texts: list[str] = []
    original = ImageDraw.ImageDraw.text

    def text_spy(self, xy, text, *args, **kwargs):
        texts.append(text)
        return original(self, xy, text, *args, **kwargs)

    monkeypatch.setattr(ImageDraw.ImageDraw, "text", text_spy)
    return texts


def assert_a_card_image(response) -> None:
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert (image.format, image.size) == ("PNG", (1200, 630))


# The preview's meta tags


def test_the_preview_says_it_is_a_shared_cart_and_points_at_its_card(world, client):
    _, url, token = world.share_link(world.office_supplies, "PREVIEW")
    page = head(client.get(open_url(token)))
    assert "<title>Shared cart: Office supplies · Cartshare</title>" in page
    assert '<meta property="og:title" content="Shared cart: Office supplies">' in page
    assert '<meta name="twitter:title" content="Shared cart: Office supplies">' in page
    assert '<meta property="og:description" content="2 items · total €1,005.50">' in page
    assert f'<meta property="og:image" content="{url}/card.png">' in page
    assert f'<meta name="twitter:image" content="{url}/card.png">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    for secret in PERSONAL:
        assert secret not in page


def test_a_logged_in_visitor_s_preview_points_at_the_same_card(world, client):
    _, url, token = world.share_link(world.office_supplies, "PREVIEW")
    client.force_login(world.dave)
    client.get(open_url(token))
    page = head(client.get(join_url(token)))
    assert f'<meta property="og:image" content="{url}/card.png">' in page


def test_an_ordered_cart_s_internal_view_has_no_card(world, client):
    token = world.link(world.office_supplies, "READ_ONLY")
    Cart.objects.filter(pk=world.office_supplies.pk).update(status=CartStatus.ORDERED)
    client.force_login(world.bob)
    client.get(open_url(token))
    response = client.get(join_url(token))
    assert response.status_code == 200 and "Ballpoint pen" in text(response)  # the cart, read-only
    assert "og:image" not in head(response)


# The card


def test_the_card_shows_the_cart_name_item_count_and_total_and_nothing_personal(
    world, client, monkeypatch
):
    token = world.link(world.office_supplies, "PREVIEW")
    texts = drawn(monkeypatch)
    assert_a_card_image(client.get(card_url(token)))
    assert texts == ["SHARED CART", "Office supplies", "2 items · total €1,005.50", "Cart", "share"]


def test_the_card_of_an_ordered_preview_says_so(world, client, monkeypatch):
    token = world.link(world.office_supplies, "PREVIEW")
    Cart.objects.filter(pk=world.office_supplies.pk).update(status=CartStatus.ORDERED)
    texts = drawn(monkeypatch)
    assert_a_card_image(client.get(card_url(token)))
    assert texts[0] == "SHARED CART · ORDERED"


def test_the_card_is_cacheable_briefly_and_keeps_the_token_to_itself(world, client):
    token = world.link(world.office_supplies, "PREVIEW")
    response = client.get(card_url(token))
    assert response["Cache-Control"] == "private, max-age=300"
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Robots-Tag"] == "noindex"
    assert "Set-Cookie" not in response  # rendered without a session
    assert token not in mask_tokens(f"GET {card_url(token)} 200")


def test_the_card_changes_no_data_and_is_not_counted_as_an_open(world, client):
    link, _, token = world.share_link(world.office_supplies, "PREVIEW")
    before = data_snapshot()
    opens = ShareLinkStats.objects.get(link=link).open_count
    client.get(card_url(token))
    client.head(card_url(token))
    assert data_snapshot() == before
    assert ShareLinkStats.objects.get(link=link).open_count == opens


def test_the_card_refuses_posts(world, client):
    token = world.link(world.office_supplies, "PREVIEW")
    assert client.post(card_url(token)).status_code == 405


@pytest.mark.parametrize("state", ["revoked", "expired", "cart deleted"])
def test_a_dead_link_s_card_answers_410_without_cart_data(world, client, state):
    link, _, token = world.share_link(world.office_supplies, "PREVIEW")
    assert client.get(card_url(token)).status_code == 200
    if state == "revoked":
        share_link_revoke(link=link, actor=world.alice)
    elif state == "expired":
        ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now())
    else:
        Cart.objects.filter(pk=world.office_supplies.pk).delete()
    response = client.get(card_url(token))
    assert response.status_code == 410
    assert response["Cache-Control"] == "no-store"
    assert "Office supplies" not in text(response) and "1,005.50" not in text(response)


@pytest.mark.parametrize("token", ["x", "a" * 500, "%00", "<svg>"])
def test_an_unknown_token_s_card_answers_404(world, client, token):
    response = client.get(card_url(token))
    assert response.status_code == 404
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("option", INTERNAL)
@pytest.mark.parametrize("person", [None, "bob", "alice", "carol"])
def test_an_internal_link_has_no_card_for_anyone(world, option, person):
    token = world.link(world.office_supplies, option)
    client = world.logged_in_client(world.user(person) if person else None)
    response = client.get(card_url(token))
    assert response.status_code == 404
    assert response["Cache-Control"] == "no-store"
    for secret in ("Office supplies", "1,005.50", *PERSONAL):
        assert secret not in main_text(response)  # the header names whoever is logged in


ODD_NAMES = [
    "<script>alert(1)</script>",
    'Tom & Jerry\'s "best" ]]> <!-- -->',
    "Bell\x07 and\x01soh\x1b[31m\ufffe",  # (PostgreSQL stores no NUL in text)
    "   ",
    "Ünïcödé 漢字 🛒 עברית",
    "W" * MAX_NAME_LENGTH,  # the longest name a cart can have (PostgreSQL enforces it)
    ("word " * 20).strip(),
]


@pytest.mark.parametrize("name", ODD_NAMES)
def test_an_odd_cart_name_still_makes_a_card_that_fits(world, client, monkeypatch, name):
    Cart.objects.filter(pk=world.office_supplies.pk).update(name=name)
    token = world.link(world.office_supplies, "PREVIEW")
    texts = drawn(monkeypatch)
    assert_a_card_image(client.get(card_url(token)))
    name_lines = texts[1:-3]
    assert 1 <= len(name_lines) <= 2
    font = card_font(64, bold=True)
    for line in name_lines:
        assert font.getlength(line) <= TEXT_WIDTH, line
        assert renderable_text(line) == line  # no control character reaches the image
    assert texts[-3] == "2 items · total €1,005.50"


def test_a_blank_cart_name_is_drawn_as_untitled(world, client, monkeypatch):
    Cart.objects.filter(pk=world.office_supplies.pk).update(name="  \x01 ")
    token = world.link(world.office_supplies, "PREVIEW")
    texts = drawn(monkeypatch)
    assert_a_card_image(client.get(card_url(token)))
    assert texts[1] == "Untitled cart"


def test_a_long_cart_name_is_cut_to_two_lines(world, client, monkeypatch):
    name = "Quarterly office supplies for the whole Berlin headquarters team and guests"
    Cart.objects.filter(pk=world.office_supplies.pk).update(name=name)
    token = world.link(world.office_supplies, "PREVIEW")
    texts = drawn(monkeypatch)
    assert_a_card_image(Client().get(card_url(token)))
    name_lines = texts[1:-3]
    assert len(name_lines) == 2
    assert name_lines[0] == "Quarterly office supplies"
    assert name_lines[-1].endswith("…")
    assert name not in " ".join(texts)


def test_the_card_s_queries_do_not_grow_with_the_items(
    world, client, monkeypatch, django_assert_max_num_queries
):
    cart = CartFactory(owner=world.alice, name="Many")
    for _ in range(40):
        CartItemFactory(cart=cart, product=ProductFactory())
    token = world.link(cart, "PREVIEW")
    texts = drawn(monkeypatch)
    with django_assert_max_num_queries(2):
        response = client.get(card_url(token))
    assert_a_card_image(response)
    assert texts[2].startswith("40 items · total")
