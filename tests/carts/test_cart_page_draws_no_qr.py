"""The owner's cart page neither decrypts the share links' tokens nor draws their QR codes
(issue 16): it shows one line about sharing, whose dialog (the share page) shows the links,
each with a link to its QR code, which is drawn only when asked for (`/links/<id>/qr.svg`)."""

import pytest
import segno
from django.urls import reverse

from cartshare.sharing import tokens

pytestmark = pytest.mark.django_db


@pytest.fixture
def links(world):
    return [world.share_link(world.trade_fair, option)[0] for option in ("PREVIEW", "READ_ONLY")]


@pytest.fixture
def no_qr(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a QR code was drawn")

    monkeypatch.setattr(segno, "make", refuse)


def test_the_cart_page_decrypts_no_token_and_draws_no_qr_code(world, links, no_qr, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a link's token was decrypted")

    monkeypatch.setattr(tokens, "_fernet", refuse)  # what share_link_url decrypts with
    response = world.logged_in_client(world.alice).get(
        reverse("storefront:cart_detail", args=[world.trade_fair.pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 links" in html  # the share line counts them
    assert "<svg" not in html and "qr.svg" not in html


def test_the_share_page_links_each_qr_code_and_draws_none(world, links, no_qr):
    client = world.logged_in_client(world.alice)
    html = client.get(reverse("storefront:cart_share", args=[world.trade_fair.pk])).content.decode()
    assert "<svg" not in html
    for link in links:
        assert f'href="{reverse("storefront:share_link_qr", args=[link.pk])}" data-qr' in html


def test_a_qr_code_is_drawn_when_asked_for(world, links):
    response = world.logged_in_client(world.alice).get(
        reverse("storefront:share_link_qr", args=[links[0].pk])
    )
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content
